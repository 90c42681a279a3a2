import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { EscalateComplaintCommand } from './escalate-complaint.command';

@CommandHandler(EscalateComplaintCommand)
export class EscalateComplaintHandler implements ICommandHandler<EscalateComplaintCommand, CommandResult> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: EscalateComplaintCommand): Promise<CommandResult> {
    return this.customers.execute({ type: 'EscalateComplaint', ...payload }, envelope);
  }
}
