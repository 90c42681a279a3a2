import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { RenegotiatePromiseCommand } from './renegotiate-promise.command';

@CommandHandler(RenegotiatePromiseCommand)
export class RenegotiatePromiseHandler implements ICommandHandler<RenegotiatePromiseCommand, CommandResult> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: RenegotiatePromiseCommand): Promise<CommandResult> {
    return this.customers.execute({ type: 'RenegotiatePromise', ...payload }, envelope);
  }
}
