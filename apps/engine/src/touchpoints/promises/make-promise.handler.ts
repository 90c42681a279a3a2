import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { MakePromiseCommand } from './make-promise.command';

@CommandHandler(MakePromiseCommand)
export class MakePromiseHandler implements ICommandHandler<MakePromiseCommand, CommandResult> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: MakePromiseCommand): Promise<CommandResult> {
    return this.customers.execute({ type: 'MakePromise', ...payload }, envelope);
  }
}
