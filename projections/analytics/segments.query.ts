import type { ReadStore } from '@rapport/read-store';
import { SCORING_META } from '../scoring/collections';
import type { SegmentSummary } from '../scoring/score';
import type { AgentRatesRecord } from '../scoring/scoring-job';

/** `GET /analytics/segments`: counts and net revenue by stage × tier and by region, as of the last scoring run (null before one). */
export const getSegments = (store: ReadStore): Promise<SegmentSummary | null> => store.getMeta<SegmentSummary>(SCORING_META.segments);

/** `GET /analytics/promises`: promise fulfilment per agent as of the last scoring run (null before one). */
export const getPromisesByAgent = (store: ReadStore): Promise<AgentRatesRecord | null> => store.getMeta<AgentRatesRecord>(SCORING_META.agents);
