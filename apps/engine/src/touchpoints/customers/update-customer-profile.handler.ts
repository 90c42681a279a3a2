import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { UpdateCustomerProfileCommand } from './update-customer-profile.command';

@CommandHandler(UpdateCustomerProfileCommand)
export class UpdateCustomerProfileHandler implements ICommandHandler<UpdateCustomerProfileCommand, CommandResult> {
  constructor(@Inject(CustomerCommandService) private readonly customers: CustomerCommandService) {}

  execute({ payload, envelope }: UpdateCustomerProfileCommand): Promise<CommandResult> {
    return this.customers.execute({ type: 'UpdateCustomerProfile', ...payload }, envelope);
  }
}
