import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { PERSONAL_DATA_PROTECTION, type PersonalDataProtection } from '../../command-handling/personal-data-protection';
import { EraseCustomerCommand } from './erase-customer.command';

/** Crypto-shredding: once the decider accepts the erasure, the key is destroyed, then CustomerErased is appended. */
@CommandHandler(EraseCustomerCommand)
export class EraseCustomerHandler implements ICommandHandler<EraseCustomerCommand, CommandResult> {
  constructor(
    @Inject(CustomerCommandService) private readonly customers: CustomerCommandService,
    @Inject(PERSONAL_DATA_PROTECTION) private readonly personalData: PersonalDataProtection,
  ) {}

  execute({ payload, envelope }: EraseCustomerCommand): Promise<CommandResult> {
    // Key first: a crash between the two leaves the data unreadable and a retry still records the event.
    return this.customers.execute({ type: 'EraseCustomer', ...payload }, envelope, {
      beforeAppend: () => this.personalData.destroyKey(payload.customerId),
    });
  }
}
