import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { RecordComplaintCustomerResponseCommand } from './record-complaint-customer-response.command';

@CommandHandler(RecordComplaintCustomerResponseCommand)
export class RecordComplaintCustomerResponseHandler implements ICommandHandler<
  RecordComplaintCustomerResponseCommand,
  CommandResult
> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: RecordComplaintCustomerResponseCommand): Promise<CommandResult> {
    return this.customers.execute({ type: 'RecordComplaintCustomerResponse', ...payload }, envelope);
  }
}
