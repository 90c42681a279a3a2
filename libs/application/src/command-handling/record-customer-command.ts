import { Command } from '@nestjs/cqrs';
import type { CommandOfType, CustomerCommand } from '@rapport/domain';
import type { CommandEnvelope, CommandResult } from './command-envelope';

type CommandType = CustomerCommand['type'];

/**
 * Any command of the customer decider, on the CommandBus: the domain's command type is its one
 * declaration, and one handler (touchpoints/RecordCustomerCommandHandler) records every type, the
 * follow-ups' included.
 */
export class RecordCustomerCommand<T extends CommandType = CommandType> extends Command<CommandResult> {
  readonly command: CommandOfType<T>;

  constructor(
    type: T,
    fields: Omit<CommandOfType<T>, 'type'>,
    readonly envelope: CommandEnvelope,
  ) {
    super();
    this.command = { type, ...fields } as CommandOfType<T>;
  }
}
