import { Command } from '@nestjs/cqrs';
import type { CommandOfType } from '@rapport/domain';
import type { CommandEnvelope, CommandResult } from '../../command-handling/command-envelope';

export class ReopenComplaintCommand extends Command<CommandResult> {
  constructor(
    readonly payload: Omit<CommandOfType<'ReopenComplaint'>, 'type'>,
    readonly envelope: CommandEnvelope,
  ) {
    super();
  }
}
