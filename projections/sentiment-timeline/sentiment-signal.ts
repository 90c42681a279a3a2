// What the scoring job reads from a sentiment timeline as of a time: the rolling mean then and whether a
// drop alert was active then, from the moments that occurred by asOf (and were recorded by knownAt).
import { recentRollingMeans } from './sentiment-figures';
import {
  DEFAULT_SENTIMENT_TIMELINE_CONFIG,
  type SentimentMoment,
  type SentimentTimelineConfig,
  type SentimentTimelineDoc,
} from './sentiment-timeline.projection';

export interface SentimentSignal {
  /** The drop rule (rolling mean more than `dropThreshold` below its recent high) held at asOf. */
  drop: boolean;
  /** Rolling mean over the last `rollingWindow` moments by asOf; null when none had occurred. */
  mean: number | null;
}

/**
 * The signal as of `asOf` (business time) and, given `knownAt`, as Rapport knew it then: moments that
 * occurred after asOf or were recorded after knownAt are left out, so the answer never looks ahead.
 * Moments are kept in occurredAt order, so the ones left form the same sequence the live figures use.
 */
export function sentimentSignalAt(
  doc: SentimentTimelineDoc | null,
  asOf: string,
  knownAt?: string,
  config: SentimentTimelineConfig = DEFAULT_SENTIMENT_TIMELINE_CONFIG,
): SentimentSignal {
  if (!doc) return { drop: false, mean: null };
  const asOfMs = instant(asOf, 'asOf');
  const knownAtMs = knownAt === undefined ? Infinity : instant(knownAt, 'knownAt');
  const seen: SentimentMoment[] = [];
  for (const moment of doc.moments) {
    if (Date.parse(moment.at) > asOfMs) break; // in occurredAt order: none after this one occurred in time
    if (Date.parse(moment.recordedAt) <= knownAtMs) seen.push(moment);
  }
  if (seen.length === 0) return { drop: false, mean: null };
  const { rollingMean, highMean } = recentRollingMeans(seen, config.rollingWindow, config.dropLookback);
  return { drop: round(highMean - rollingMean) > config.dropThreshold, mean: round(rollingMean) };
}

function instant(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${field}: must be an ISO-8601 date-time, got ${JSON.stringify(value)}`);
  return ms;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
