import { Command } from '@nestjs/cqrs';
import type { CommandOfType } from '@rapport/domain';
import type { CommandEnvelope, CommandResult } from '../../command-handling/command-envelope';

export class AwaitComplaintCustomerCommand extends Command<CommandResult> {
  constructor(
    readonly payload: Omit<CommandOfType<'AwaitComplaintCustomer'>, 'type'>,
    readonly envelope: CommandEnvelope,
  ) {
    super();
  }
}
