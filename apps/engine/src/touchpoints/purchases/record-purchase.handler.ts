import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { RecordPurchaseCommand } from './record-purchase.command';

@CommandHandler(RecordPurchaseCommand)
export class RecordPurchaseHandler implements ICommandHandler<RecordPurchaseCommand, CommandResult> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: RecordPurchaseCommand): Promise<CommandResult> {
    return this.customers.execute({ type: 'RecordPurchase', ...payload }, envelope);
  }
}
