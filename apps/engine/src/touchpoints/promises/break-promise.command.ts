import { Command } from '@nestjs/cqrs';
import type { CommandOfType } from '@rapport/domain';
import type { CommandEnvelope, CommandResult } from '../../command-handling/command-envelope';

export class BreakPromiseCommand extends Command<CommandResult> {
  constructor(
    readonly payload: Omit<CommandOfType<'BreakPromise'>, 'type'>,
    readonly envelope: CommandEnvelope,
  ) {
    super();
  }
}
