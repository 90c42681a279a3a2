import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor, Channel } from '@rapport/domain';
import type { CustomerCommand } from '@rapport/domain';
import { CustomerCommandService, type BatchOutcome } from '@rapport/application';

/** One command to record, with its envelope. */
export interface BulkItem {
  command: CustomerCommand;
  idempotencyKey: string;
  channel: Channel;
  actor: Actor;
}

export type BulkOutcome = BatchOutcome;

/**
 * Records many commands of one customer with one append, through the engine's own command service
 * (`executeMany`): the same decider, metadata, encryption and event ids as over HTTP, so a command
 * already recorded (by an import or over HTTP) is recognised and stores nothing twice.
 */
@Injectable()
export class BulkCommandRecorder {
  constructor(@Inject(CustomerCommandService) private readonly commands: CustomerCommandService) {}

  recordCustomer(customerId: string, items: readonly BulkItem[], correlationId = randomUUID()): Promise<BulkOutcome[]> {
    return this.commands.executeMany(
      customerId,
      items.map(({ command, idempotencyKey, channel, actor }) => ({
        command,
        envelope: { actor, channel, correlationId, causationId: null, idempotencyKey },
      })),
    );
  }
}
