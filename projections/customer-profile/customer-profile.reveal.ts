import { ERASED_TEXT } from '@rapport/domain';
import type { SealedFieldOpener } from '@rapport/projection-engine';
import type { CustomerProfile } from './customer-profile.projection';

/** An erased customer's personal fields, as every role reads them. */
export const ERASED_PERSONAL = { name: ERASED_TEXT, email: ERASED_TEXT, phone: ERASED_TEXT, address: ERASED_TEXT };

/** The customer 360 as a reader sees it: once the customer is erased, its personal fields read `[erased]` for everyone. */
export function revealCustomerProfile(profile: CustomerProfile, sealed: SealedFieldOpener): CustomerProfile {
  // An erased customer's envelopes are dropped from the model.
  if (profile.erased) return { ...profile, personal: profile.registered ? { ...ERASED_PERSONAL } : null };
  return sealed.open(profile);
}
