import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { BreakPromiseCommand } from './break-promise.command';

@CommandHandler(BreakPromiseCommand)
export class BreakPromiseHandler implements ICommandHandler<BreakPromiseCommand, CommandResult> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: BreakPromiseCommand): Promise<CommandResult> {
    return this.customers.execute({ type: 'BreakPromise', ...payload }, envelope);
  }
}
