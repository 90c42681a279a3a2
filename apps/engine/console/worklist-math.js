// Pure helpers of the worklist page (no imports: loaded into Node for unit tests).

/** The worklist query the page's parameters ask for; null when neither an agent nor a team is given. */
export function worklistQuery(params) {
  const agent = (params.agent ?? '').trim();
  const team = (params.team ?? '').trim();
  if (!agent && !team) return null;
  const query = {};
  if (agent) query.agent = agent;
  if (team) query.team = team;
  if (['open', 'completed', 'dismissed'].includes(params.status)) query.status = params.status;
  const within = Number(params.dueWithinDays);
  if (params.dueWithinDays !== undefined && params.dueWithinDays !== '' && Number.isInteger(within) && within >= 0) query.dueWithinDays = within;
  return query;
}

/** Counts of the listed follow-ups by urgency, in display order. */
export function urgencyCounts(items) {
  const counts = { overdue: 0, due: 0, upcoming: 0 };
  for (const item of items) if (item.urgency in counts) counts[item.urgency] += 1;
  return counts;
}

/** A call id for the call an agent logs to complete a follow-up: unique per follow-up and moment. */
export function callIdFor(followUpId, nowMs) {
  return `call-${followUpId}-${nowMs.toString(36)}`;
}

/** The weekly means of one rule's effect as chart series: weeks, followed up, not followed up. */
export function effectSeries(rule) {
  const weekly = rule.weekly ?? [];
  return {
    weeks: weekly.map((w) => w.week),
    followedUp: weekly.map((w) => w.followedUp),
    notFollowedUp: weekly.map((w) => w.notFollowedUp),
  };
}

/** Rules with both groups first (they carry an effect), then by the size of the groups. */
export function rankEffects(rules) {
  return [...rules].sort(
    (a, b) =>
      Number(b.effect !== null) - Number(a.effect !== null) ||
      b.followedUp.count + b.notFollowedUp.count - (a.followedUp.count + a.notFollowedUp.count) ||
      a.rule.localeCompare(b.rule),
  );
}
