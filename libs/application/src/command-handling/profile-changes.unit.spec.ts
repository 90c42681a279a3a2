import type { CustomerEvent } from '@rapport/domain';
import { changesNothing, foldProfile } from './profile-changes';

const registered = {
  type: 'CustomerRegistered',
  data: {
    customerId: 'c',
    name: 'Ann',
    email: 'ann@example.com',
    acquisitionChannel: 'web',
    acquisitionCost: 0,
    region: 'East',
    city: 'Shanghai',
    demographics: { ageBand: '25-34' },
  },
} as unknown as CustomerEvent;
const updated = (changes: object) =>
  ({ type: 'CustomerProfileUpdated', data: { customerId: 'c', changes } }) as unknown as CustomerEvent;

describe('profile changes', () => {
  it('given registration and updates, the profile is the last value of each field, demographics merged', () => {
    const profile = foldProfile([registered, updated({ city: 'Hangzhou', demographics: { gender: 'female' } })]);
    expect(profile).toEqual({
      name: 'Ann',
      email: 'ann@example.com',
      region: 'East',
      city: 'Hangzhou',
      demographics: { ageBand: '25-34', gender: 'female' },
    });
  });

  it('an update repeating current values changes nothing; one differing field or demographic is a change', () => {
    const profile = foldProfile([registered]);
    if (profile === null) throw new Error('no profile');
    expect(
      changesNothing(profile, { city: 'Shanghai', email: 'ann@example.com', demographics: { ageBand: '25-34' } }),
    ).toBe(true);
    expect(changesNothing(profile, { city: 'Hangzhou' })).toBe(false);
    expect(changesNothing(profile, { phone: '+86 1' })).toBe(false);
    expect(changesNothing(profile, { demographics: { ageBand: '35-44' } })).toBe(false);
  });

  it('without a registration there is no profile to compare with', () => {
    expect(foldProfile([updated({ city: 'x' })])).toBeNull();
  });
});
