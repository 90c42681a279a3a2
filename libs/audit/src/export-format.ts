/**
 * The signed export, NDJSON, one JSON object per line:
 * 1. a header `{"kind":"rapport-export","version":1,"createdAt","scope","publicKey"}`;
 * 2. one `{"kind":"event","streamId","revision","position","type","data","metadata"}` per event, as
 *    stored (personal data stays encrypted; `metadata.prevHash`/`hash` carry the hash chain);
 * 3. a trailer `{"kind":"signature","algorithm":"Ed25519","events","sha256","signature"}` where
 *    `sha256` is the digest of every byte before the trailer and `signature` (base64) signs
 *    `signedStatement(sha256, events)`. Changing any byte before the trailer changes the digest;
 *    changing the trailer breaks the signature.
 */
export const EXPORT_FORMAT = 'rapport-export';
export const EXPORT_VERSION = 1;

export interface ExportHeader {
  kind: typeof EXPORT_FORMAT;
  version: number;
  createdAt: string;
  scope: { customerId?: string };
  /** The signer's public key (SPKI PEM), for information: verification pins its own trusted key. */
  publicKey: string;
}

export interface ExportEventLine {
  kind: 'event';
  streamId: string;
  revision: number;
  position: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown> & { prevHash: string; hash: string };
}

export interface ExportTrailer {
  kind: 'signature';
  algorithm: 'Ed25519';
  events: number;
  sha256: string;
  signature: string;
}

export const signedStatement = (sha256: string, events: number): Buffer =>
  Buffer.from(`${EXPORT_FORMAT}/v${EXPORT_VERSION}\n${sha256}\n${events}\n`, 'utf8');
