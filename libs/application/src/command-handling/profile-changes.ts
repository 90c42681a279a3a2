import type { CustomerEvent } from '@rapport/domain';

export const PROFILE_FIELDS = ['name', 'email', 'phone', 'address', 'region', 'city'] as const;

/** A customer's profile as its events leave it (demographics merge field by field, as the read model does). */
export type CurrentProfile = Partial<Record<(typeof PROFILE_FIELDS)[number], string>> & {
  demographics: Record<string, string | undefined>;
};

/** Folds registration and profile updates (decrypted) into the profile they leave. */
export function foldProfile(events: Iterable<CustomerEvent>): CurrentProfile | null {
  let profile = null as CurrentProfile | null;
  for (const event of events) {
    if (event.type === 'CustomerRegistered') {
      const { demographics, ...rest } = event.data;
      profile = { ...pickFields(rest), demographics: { ...demographics } };
    } else if (event.type === 'CustomerProfileUpdated' && profile !== null) {
      const { demographics, ...rest } = event.data.changes;
      profile = { ...profile, ...pickFields(rest), demographics: { ...profile.demographics, ...(demographics ?? {}) } };
    }
  }
  return profile;
}

/** True when every field the update sets already has that value: the update would record nothing new. */
export function changesNothing(profile: CurrentProfile, changes: Record<string, unknown>): boolean {
  for (const field of PROFILE_FIELDS) {
    if (changes[field] !== undefined && changes[field] !== profile[field]) return false;
  }
  const demographics = changes['demographics'] as Record<string, unknown> | undefined;
  if (demographics === undefined) return true;
  return Object.entries(demographics).every(
    ([key, value]) => value === undefined || profile.demographics[key] === value,
  );
}

function pickFields(data: Record<string, unknown>): Partial<Record<(typeof PROFILE_FIELDS)[number], string>> {
  const out: Partial<Record<(typeof PROFILE_FIELDS)[number], string>> = {};
  for (const field of PROFILE_FIELDS) if (typeof data[field] === 'string') out[field] = data[field];
  return out;
}
