import type { Actor, Channel, CustomerCommand } from '@rapport/domain';

/**
 * One touchpoint as the simulator produces it: the domain command plus the envelope every recorded
 * command carries (who, through which channel, and an idempotency key stable for the seed, so that
 * recording the same simulation twice stores nothing twice).
 */
export interface GeneratedCommand {
  command: CustomerCommand;
  channel: Channel;
  actor: Actor;
  idempotencyKey: string;
}
