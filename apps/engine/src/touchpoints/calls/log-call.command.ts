import { Command } from '@nestjs/cqrs';
import type { CommandOfType } from '@rapport/domain';
import type { CommandEnvelope, CommandResult } from '../../command-handling/command-envelope';

export class LogCallCommand extends Command<CommandResult> {
  constructor(
    readonly payload: Omit<CommandOfType<'LogCall'>, 'type'>,
    readonly envelope: CommandEnvelope,
  ) {
    super();
  }
}
