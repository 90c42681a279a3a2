import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const SECRET_PREFIX = 'whsec_';
/** 24 random bytes, base64: the size the Standard Webhooks reference libraries generate. */
const SECRET_BYTES = 24;

export const generateSecret = (): string => `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;

/** A secret as Standard Webhooks writes it: `whsec_` and base64 of 24 to 64 bytes. */
export function isValidSecret(value: string): boolean {
  if (!value.startsWith(SECRET_PREFIX)) return false;
  const body = value.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return false;
  const bytes = Buffer.from(body, 'base64').length;
  return bytes >= 24 && bytes <= 64;
}

/** Signers per secret: building one decodes the key, so they are kept. */
const signers = new Map<string, Webhook>();

function signerOf(secret: string): Webhook {
  let signer = signers.get(secret);
  if (!signer) {
    if (signers.size > 10_000) signers.clear();
    signer = new Webhook(secret);
    signers.set(secret, signer);
  }
  return signer;
}

/**
 * The Standard Webhooks headers of one delivery: `webhook-id` (the event id, stable across retries
 * and replays: the receiver's idempotency key), `webhook-timestamp` (seconds, this attempt) and one
 * `v1,` HMAC-SHA256 signature per signing secret, space separated (both during a rotation).
 */
export function signedHeaders(
  webhookId: string,
  at: Date,
  body: string,
  secrets: readonly string[],
): Record<string, string> {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => signerOf(secret).sign(webhookId, at, body)).join(' '),
  };
}
