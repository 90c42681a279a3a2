import { createHash } from 'node:crypto';

/** The previous hash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same event always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface HashableEvent {
  streamId: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * hash = SHA-256(prevHash || canonical bytes of the event as stored). The bytes cover the stream,
 * revision, type, data and metadata except `hash` itself (so `prevHash` is bound in too).
 */
export function eventHash(prevHash: string, event: HashableEvent): string {
  const { hash: _hash, ...metadata } = event.metadata;
  const body = canonicalJson({
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: { ...metadata, prevHash },
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}
