import { sentimentSignalAt } from '@rapport/projections/sentiment-timeline/sentiment-signal';
import type {
  SentimentMoment,
  SentimentTimelineDoc,
} from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';

/** Moments looked back over to find where an ongoing drop began (a drop spans a few recent moments). */
const LOOKBACK = 50;

/**
 * The scored moment that took the rolling mean past the drop threshold, for a timeline whose drop
 * is flagged now: the earliest moment from which the drop held at every later moment. Null when the
 * drop does not hold at the last moment (nothing to alert).
 */
export function dropOnset(doc: SentimentTimelineDoc): { onset: SentimentMoment; behind: SentimentMoment[] } | null {
  const moments = doc.moments;
  const last = moments.length - 1;
  if (last < 0 || !sentimentSignalAt(doc, moments[last]!.at).drop) return null;
  let onset = last;
  for (let k = last - 1; k >= Math.max(0, last - LOOKBACK); k--) {
    // Moments sharing a time are read together by the as-of signal: step over them as one.
    if (moments[k]!.at === moments[onset]!.at) {
      onset = k;
      continue;
    }
    if (!sentimentSignalAt(doc, moments[k]!.at).drop) break;
    onset = k;
  }
  return { onset: moments[onset]!, behind: moments.slice(onset) };
}
