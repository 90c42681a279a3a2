import type { ReadStore } from '@rapport/read-store';
import type { AgentPromiseRates } from '@rapport/projections/promise-fulfilment/promise-deadlines';
import type { SegmentSummary } from '@rapport/scoring/score';
import { selectRun, type RunSelector } from '@rapport/scoring/scoring-runs.query';

/** Promise fulfilment per agent as of a scoring run. */
export interface AgentRatesRecord {
  run: string;
  scoredAt: string;
  knownAt: string;
  agents: AgentPromiseRates[];
}

/** `GET /analytics/segments`: counts and net revenue by stage × tier and by region, as of a scoring run (null without one). */
export async function getSegments(
  store: ReadStore,
  selector: RunSelector = {},
): Promise<(SegmentSummary & { run: string; knownAt: string }) | null> {
  const run = await selectRun(store, selector);
  return run?.segments ? { run: run.id, knownAt: run.knownAt, ...run.segments } : null;
}

/** `GET /analytics/promises`: promise fulfilment per agent as of a scoring run (null without one). */
export async function getPromisesByAgent(
  store: ReadStore,
  selector: RunSelector = {},
): Promise<AgentRatesRecord | null> {
  const run = await selectRun(store, selector);
  return run?.agents ? { run: run.id, scoredAt: run.asOf, knownAt: run.knownAt, agents: run.agents } : null;
}
