import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { AcknowledgeComplaintCommand } from './acknowledge-complaint.command';

@CommandHandler(AcknowledgeComplaintCommand)
export class AcknowledgeComplaintHandler implements ICommandHandler<AcknowledgeComplaintCommand, CommandResult> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: AcknowledgeComplaintCommand): Promise<CommandResult> {
    return this.customers.execute({ type: 'AcknowledgeComplaint', ...payload }, envelope);
  }
}
