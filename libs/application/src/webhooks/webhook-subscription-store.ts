import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyStore } from '@rapport/personal-data';
import type { ReadStore } from '@rapport/read-store';
import { WEBHOOK_SUBSCRIPTIONS, type WebhookSecret, type WebhookSubscription } from './webhook-subscription';

/**
 * The key-store entry that encrypts signing secrets: `$` cannot start a customer id, so erasing a
 * customer can never destroy it. The key store keeps it wrapped by the master key.
 */
export const SECRETS_KEY_ID = '$webhook-secrets';
const PREFIX = 'enc:v1:';

/**
 * Webhook subscriptions in the read store with their signing secrets encrypted (AES-256-GCM under a
 * key of the key store), so a copy of the read store alone does not let anyone forge deliveries.
 */
export class WebhookSubscriptionStore {
  private key: Promise<Buffer> | undefined;

  constructor(
    private readonly reads: ReadStore,
    private readonly keys: KeyStore,
  ) {}

  ensure(): Promise<void> {
    return this.reads.ensureCollection({ name: WEBHOOK_SUBSCRIPTIONS, indexes: [] });
  }

  async get(id: string): Promise<WebhookSubscription | null> {
    const stored = await this.reads.get<WebhookSubscription>(WEBHOOK_SUBSCRIPTIONS, id);
    return stored ? this.open(stored) : null;
  }

  async *scan(): AsyncIterable<WebhookSubscription> {
    for await (const stored of this.reads.scan<WebhookSubscription>(WEBHOOK_SUBSCRIPTIONS))
      yield await this.open(stored);
  }

  async save(subscription: WebhookSubscription): Promise<void> {
    const key = await this.secretsKey();
    const secrets = subscription.secrets.map((s) => ({ ...s, secret: seal(key, s.secret) }));
    await this.reads.commit([
      {
        kind: 'upsert',
        collection: WEBHOOK_SUBSCRIPTIONS,
        doc: { ...subscription, secrets },
        position: 0,
        force: true,
      },
    ]);
  }

  delete(id: string): Promise<void> {
    return this.reads.commit([{ kind: 'delete', collection: WEBHOOK_SUBSCRIPTIONS, id, position: 0, force: true }]);
  }

  private async open(stored: WebhookSubscription): Promise<WebhookSubscription> {
    const key = await this.secretsKey();
    const secrets: WebhookSecret[] = stored.secrets.map((s) => ({ ...s, secret: unseal(key, s.secret) }));
    return { ...stored, secrets };
  }

  private secretsKey(): Promise<Buffer> {
    this.key ??= this.keys.getOrCreateKey(SECRETS_KEY_ID);
    return this.key;
  }
}

export function seal(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
}

/** A sealed secret in the clear (a value without the prefix was stored in the clear and is returned as is). */
export function unseal(key: Buffer, sealed: string): string {
  if (!sealed.startsWith(PREFIX)) return sealed;
  const [iv, tag, body] = sealed.slice(PREFIX.length).split(':') as [string, string, string];
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}
