import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InvalidValueError, upcast, type CustomerEvent } from '@rapport/domain';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { KEY_STORE, PersonalDataCipher, type KeyStore } from '@rapport/personal-data';
import type { CommandResult } from '../../command-handling/command-envelope';
import { CustomerCommandService } from '../../command-handling/customer-command.service';
import { eventIdFor } from '../../command-handling/event-ids';
import { changesNothing, foldProfile } from './profile-changes';
import { UpdateCustomerProfileCommand } from './update-customer-profile.command';

const PROFILE_EVENTS = new Set(['CustomerRegistered', 'CustomerProfileUpdated']);

@CommandHandler(UpdateCustomerProfileCommand)
export class UpdateCustomerProfileHandler implements ICommandHandler<UpdateCustomerProfileCommand, CommandResult> {
  private readonly cipher = new PersonalDataCipher();

  constructor(
    @Inject(CustomerCommandService) private readonly customers: CustomerCommandService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
  ) {}

  async execute({ payload, envelope }: UpdateCustomerProfileCommand): Promise<CommandResult> {
    const retried =
      envelope.idempotencyKey === undefined ? undefined : eventIdFor(payload.customerId, envelope.idempotencyKey, 0);
    await this.refuseWhenNothingChanges(payload.customerId, payload.changes as Record<string, unknown>, retried);
    return this.customers.execute({ type: 'UpdateCustomerProfile', ...payload }, envelope);
  }

  /**
   * The decision state holds no personal data, so the comparison with what the customer has is made
   * here, over the decrypted profile events. Unknown or erased customers are left to the decider, and a
   * retry whose Idempotency-Key is stored already to the replay (it gets the first answer).
   */
  private async refuseWhenNothingChanges(
    customerId: string,
    changes: Record<string, unknown>,
    retriedEventId: string | undefined,
  ): Promise<void> {
    const key = await this.keys.getKey(customerId);
    if (key === null) return;
    const events: CustomerEvent[] = [];
    for await (const stored of this.events.readStream(`customer-${customerId}`)) {
      if (stored.metadata.eventId === retriedEventId) return;
      if (PROFILE_EVENTS.has(stored.type)) events.push(this.cipher.decrypt(upcast(stored), key));
    }
    const profile = foldProfile(events);
    if (profile !== null && changesNothing(profile, changes)) {
      throw new InvalidValueError(
        'profile.no_changes',
        'changes',
        'every value given is the one the customer already has',
      );
    }
  }
}
