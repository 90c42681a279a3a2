import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { CancelPromiseCommand } from './cancel-promise.command';

@CommandHandler(CancelPromiseCommand)
export class CancelPromiseHandler implements ICommandHandler<CancelPromiseCommand, CommandResult> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: CancelPromiseCommand): Promise<CommandResult> {
    return this.customers.execute({ type: 'CancelPromise', ...payload }, envelope);
  }
}
