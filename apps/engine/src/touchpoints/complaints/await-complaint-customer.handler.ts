import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { AwaitComplaintCustomerCommand } from './await-complaint-customer.command';

@CommandHandler(AwaitComplaintCustomerCommand)
export class AwaitComplaintCustomerHandler implements ICommandHandler<AwaitComplaintCustomerCommand, CommandResult> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: AwaitComplaintCustomerCommand): Promise<CommandResult> {
    return this.customers.execute({ type: 'AwaitComplaintCustomer', ...payload }, envelope);
  }
}
