export type Role = 'agent' | 'analyst' | 'auditor' | 'subscriber' | 'admin' | 'system';

export type Channel = 'phone' | 'email' | 'wechat' | 'web' | 'store' | 'app' | 'sms' | 'import' | 'system';

export interface Actor {
  id: string;
  role: Role;
}

/** Metadata on every customer event. Times are ISO-8601 strings. */
export interface EventMetadata {
  eventId: string;
  /** Business time, given by the caller. */
  occurredAt: string;
  /** Server time when it was recorded. */
  recordedAt: string;
  actor: Actor;
  channel: Channel;
  correlationId: string;
  causationId: string | null;
  schemaVersion: number;
  /**
   * With an Idempotency-Key: HMAC-SHA-256 of the request under the customer's data key, so a reuse of
   * the key for another request is refused; unlinkable to the request once the key is destroyed.
   */
  requestDigest?: string;
  /** Hash-chain fields, present on stored events. */
  prevHash?: string;
  hash?: string;
}

/** An event as the domain sees it: `{ type, data, metadata }`. */
export interface DomainEvent<TType extends string, TData> {
  type: TType;
  data: TData;
  metadata: EventMetadata;
}
