import type { Doc } from '@rapport/read-store';

export type WebhookStatus = 'active' | 'paused';

/** A signing secret; the previous one keeps signing beside the new one until `expiresAt` (rotation). */
export interface WebhookSecret {
  secret: string;
  createdAt: string;
  /** null: current. */
  expiresAt: string | null;
}

/** One receiver: where, what, how it is signed, and whether it is delivering. */
export interface WebhookSubscription extends Doc {
  id: string;
  url: string;
  description: string;
  /** Event types asked for by name; with `categories`, their union (both empty: every type). */
  eventTypes: string[];
  categories: string[];
  status: WebhookStatus;
  /** Tries per event before its delivery is parked (the first included). */
  maxAttempts: number;
  /** Exclusive: the first delivery is the first matching event after this position. */
  startAfter: number;
  secrets: WebhookSecret[];
  createdAt: string;
  updatedAt: string;
}

/** What the API shows of a subscription: never the secrets. */
export type WebhookSubscriptionView = Omit<WebhookSubscription, 'secrets'> & {
  secretRotation: { previousExpiresAt: string | null };
};

export function viewOf(subscription: WebhookSubscription): WebhookSubscriptionView {
  const { secrets, ...rest } = subscription;
  const previous = secrets.find((s) => s.expiresAt !== null);
  return { ...rest, secretRotation: { previousExpiresAt: previous?.expiresAt ?? null } };
}

/** The secrets that sign at `now`: the current one and any previous one still in its grace period. */
export const signingSecrets = (subscription: WebhookSubscription, now: Date): string[] =>
  subscription.secrets
    .filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now.getTime())
    .map((s) => s.secret);

export const WEBHOOK_SUBSCRIPTIONS = 'webhook-subscriptions';
export const WEBHOOK_DELIVERIES = 'webhook-deliveries';
export const checkpointName = (subscriptionId: string): string => `webhook:${subscriptionId}`;
