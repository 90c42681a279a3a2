import { Command } from '@nestjs/cqrs';
import type { CommandOfType } from '@rapport/domain';
import type { CommandEnvelope, CommandResult } from '../../command-handling/command-envelope';

export class RegisterCustomerCommand extends Command<CommandResult> {
  constructor(
    readonly payload: Omit<CommandOfType<'RegisterCustomer'>, 'type'>,
    readonly envelope: CommandEnvelope,
  ) {
    super();
  }
}
