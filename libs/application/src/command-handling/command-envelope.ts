import type { Actor, Channel } from '@rapport/domain';

/** What a caller adds around a command: who, how, and its preconditions (over HTTP: Idempotency-Key, If-Match). */
export interface CommandEnvelope {
  actor: Actor;
  channel: Channel;
  correlationId: string;
  causationId: string | null;
  /** From `Idempotency-Key`: event ids are derived from it, so a retry stores nothing twice. */
  idempotencyKey?: string;
  /**
   * With an Idempotency-Key: the request in canonical form (method, path, body with sorted keys), so
   * the key's reuse for a different request is refused rather than answered with the first result.
   */
  request?: string;
  /** From `If-Match`: the revision the caller saw; a mismatch is a 412, never retried. */
  expectedRevision?: number;
}

/** The answer to an accepted command (also replayed verbatim for a repeated Idempotency-Key). */
export interface CommandResult {
  customerId: string;
  /** Revision of the customer's stream after the command (also the ETag). */
  revision: number;
  /** Global position of the last event appended (or of the replayed events). */
  position: number;
  events: { eventId: string; type: string; revision: number }[];
  /** True when this answer replays an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}
