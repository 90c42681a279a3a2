import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from './command-envelope';
import { CustomerCommandService } from './customer-command.service';
import { PERSONAL_DATA_PROTECTION, type PersonalDataProtection } from './personal-data-protection';
import { ProfileChangeCheck } from './profile-change-check';
import { RecordCustomerCommand } from './record-customer-command';

/**
 * Records every customer command through the one load-decide-append loop. Two commands do more
 * around it: a profile update that would change nothing is refused (the decider holds no personal
 * data to compare), and an erasure destroys the customer's key once the decider accepts it, before
 * CustomerErased is appended (a crash between the two leaves the data unreadable; a retry records the event).
 */
@CommandHandler(RecordCustomerCommand)
export class RecordCustomerCommandHandler implements ICommandHandler<RecordCustomerCommand, CommandResult> {
  constructor(
    @Inject(CustomerCommandService) private readonly customers: CustomerCommandService,
    @Inject(PERSONAL_DATA_PROTECTION) private readonly personalData: PersonalDataProtection,
    @Inject(ProfileChangeCheck) private readonly profileChanges: ProfileChangeCheck,
  ) {}

  async execute({ command, envelope }: RecordCustomerCommand): Promise<CommandResult> {
    switch (command.type) {
      case 'UpdateCustomerProfile':
        await this.profileChanges.refuseWhenNothingChanges(command, envelope);
        return this.customers.execute(command, envelope);
      case 'EraseCustomer':
        return this.customers.execute(command, envelope, {
          beforeAppend: () => this.personalData.destroyKey(command.customerId),
        });
      default:
        return this.customers.execute(command, envelope);
    }
  }
}
