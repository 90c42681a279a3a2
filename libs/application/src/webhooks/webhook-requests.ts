// What the webhook operations take; the engine's DTOs validate requests into these shapes.

export const MAX_ATTEMPTS_LIMIT = 30;
export const DEFAULT_MAX_ATTEMPTS = 10;

interface WebhookFilter {
  eventTypes?: string[];
  categories?: string[];
  description?: string;
  maxAttempts?: number;
}

export interface CreateWebhook extends WebhookFilter {
  url: string;
  /** `whsec_...`; generated (and returned once) when absent. */
  secret?: string;
  /** `now` (default), `beginning`, or a global position to start after. */
  startFrom?: string;
}

export interface UpdateWebhook extends WebhookFilter {
  url?: string;
}

export interface RotateSecret {
  graceSeconds?: number;
  secret?: string;
}

export interface DeliveriesQuery {
  state?: 'delivered' | 'parked';
  limit?: number;
  cursor?: string;
}
