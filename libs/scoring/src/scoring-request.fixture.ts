// A scoring request as the scheduler or an analyst makes it, for the scoring job's tests.

/** A scoring run as of `asOf`, started (and known) at `startedAt`, as the scheduler would ask for it. */
export const scoringRequest = (asOf: string, startedAt = asOf, trigger: 'scheduled' | 'on-demand' = 'scheduled') => ({
  asOf,
  startedAt,
  trigger,
  ranBy: {
    id: trigger === 'scheduled' ? 'scheduler' : 'analyst-1',
    role: trigger === 'scheduled' ? 'system' : 'analyst',
  },
});
