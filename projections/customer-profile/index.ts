import { defineReadModel } from '@rapport/projection-engine';
import { customerProfileProjection, foldCustomerProfile } from './customer-profile.projection';
import { countProfiles, findProfiles, profileOf } from './customer-profile.query';
import { revealCustomerProfile } from './customer-profile.reveal';

/** The customer 360: touchpoint counts, open promises and complaints, personal data sealed. */
export const customerProfileReadModel = defineReadModel({
  projection: customerProfileProjection,
  fastFold: foldCustomerProfile,
  reveal: revealCustomerProfile,
  asOf: { name: 'profile' },
  query: { profileOf, findProfiles, countProfiles },
});
