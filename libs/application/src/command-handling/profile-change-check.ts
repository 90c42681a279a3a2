import { Inject, Injectable } from '@nestjs/common';
import { InvalidValueError, upcast, type CommandOfType, type CustomerEvent } from '@rapport/domain';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { KEY_STORE, PersonalDataCipher, type KeyStore } from '@rapport/personal-data';
import type { CommandEnvelope } from './command-envelope';
import { eventIdFor } from './event-ids';
import { changesNothing, foldProfile } from './profile-changes';

const PROFILE_EVENTS = new Set(['CustomerRegistered', 'CustomerProfileUpdated']);

/**
 * The decision state holds no personal data, so whether a profile update changes anything is decided
 * here, over the decrypted profile events. Unknown or erased customers are left to the decider, and a
 * retry whose Idempotency-Key is stored already to the replay (it gets the first answer).
 */
@Injectable()
export class ProfileChangeCheck {
  private readonly cipher = new PersonalDataCipher();

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
  ) {}

  async refuseWhenNothingChanges(
    { customerId, changes }: CommandOfType<'UpdateCustomerProfile'>,
    envelope: CommandEnvelope,
  ): Promise<void> {
    const retried =
      envelope.idempotencyKey === undefined ? undefined : eventIdFor(customerId, envelope.idempotencyKey, 0);
    const key = await this.keys.getKey(customerId);
    if (key === null) return;
    const events: CustomerEvent[] = [];
    for await (const stored of this.events.readStream(`customer-${customerId}`)) {
      if (stored.metadata.eventId === retried) return;
      if (PROFILE_EVENTS.has(stored.type)) events.push(this.cipher.decrypt(upcast(stored), key));
    }
    const profile = foldProfile(events);
    if (profile !== null && changesNothing(profile, changes as Record<string, unknown>)) {
      throw new InvalidValueError(
        'profile.no_changes',
        'changes',
        'every value given is the one the customer already has',
      );
    }
  }
}
