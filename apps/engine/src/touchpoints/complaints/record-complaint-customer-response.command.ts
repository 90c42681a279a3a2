import { Command } from '@nestjs/cqrs';
import type { CommandOfType } from '@rapport/domain';
import type { CommandEnvelope, CommandResult } from '../../command-handling/command-envelope';

export class RecordComplaintCustomerResponseCommand extends Command<CommandResult> {
  constructor(
    readonly payload: Omit<CommandOfType<'RecordComplaintCustomerResponse'>, 'type'>,
    readonly envelope: CommandEnvelope,
  ) {
    super();
  }
}
