import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { KeepPromiseCommand } from './keep-promise.command';

@CommandHandler(KeepPromiseCommand)
export class KeepPromiseHandler implements ICommandHandler<KeepPromiseCommand, CommandResult> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: KeepPromiseCommand): Promise<CommandResult> {
    return this.customers.execute({ type: 'KeepPromise', ...payload }, envelope);
  }
}
