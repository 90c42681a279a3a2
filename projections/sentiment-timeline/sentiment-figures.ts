// The per-customer figures of a sentiment timeline, recomputed from the tail of its moments after
// every event: rolling mean, extremes, peak-end, trend and drop (README "Per-customer fields").
import type { SentimentMoment, SentimentTimelineConfig, SentimentTimelineDoc } from './sentiment-timeline.projection';
import { DAY_MS } from '@rapport/domain';

const FLAT_SLOPE = 0.05;

/** Order of moments: by occurredAt, then stream position. */
export const isBefore = (a: SentimentMoment, b: SentimentMoment): boolean =>
  a.at < b.at || (a.at === b.at && a.position < b.position);

/** A field-by-field copy for evolve to change: a literal of the document's shape is far cheaper than a spread. */
export function copyTimelineDoc(doc: SentimentTimelineDoc): SentimentTimelineDoc {
  return {
    id: doc.id,
    customerId: doc.customerId,
    moments: doc.moments,
    count: doc.count,
    rollingMean: doc.rollingMean,
    mostPositive: doc.mostPositive,
    mostNegative: doc.mostNegative,
    peak: doc.peak,
    end: doc.end,
    peakEnd: doc.peakEnd,
    trendPer30Days: doc.trendPer30Days,
    trend: doc.trend,
    drop: doc.drop,
    erased: doc.erased,
    erasedAt: doc.erasedAt,
    lastPosition: doc.lastPosition,
  };
}

/**
 * The document with `moments` (holding `added`, the event's moments) and every figure brought up to
 * date; without `figures`, only the extremes (which need every moment added), for a fold that
 * computes the rest once, from its final moments.
 */
export function summarise(
  doc: SentimentTimelineDoc,
  moments: SentimentMoment[],
  added: SentimentMoment[],
  lastPosition: number,
  config: SentimentTimelineConfig,
  figures = true,
): SentimentTimelineDoc {
  // Extremes only grow as moments are added, so they update incrementally; ties go to the later moment.
  let { mostPositive, mostNegative, peak } = doc;
  for (const m of added) {
    if (!mostPositive || m.score > mostPositive.score || (m.score === mostPositive.score && isBefore(mostPositive, m)))
      mostPositive = m;
    if (!mostNegative || m.score < mostNegative.score || (m.score === mostNegative.score && isBefore(mostNegative, m)))
      mostNegative = m;
    const intensity = Math.abs(m.score);
    if (!peak || intensity > Math.abs(peak.score) || (intensity === Math.abs(peak.score) && isBefore(peak, m)))
      peak = m;
  }
  if (!figures) {
    const next = copyTimelineDoc(doc);
    next.moments = moments;
    next.count = moments.length;
    next.mostPositive = mostPositive;
    next.mostNegative = mostNegative;
    next.peak = peak;
    next.lastPosition = lastPosition;
    return next;
  }
  const end = moments[moments.length - 1]!;
  const { rollingMean, highMean, highAt } = recentRollingMeans(moments, config.rollingWindow, config.dropLookback);
  const amount = round(highMean - rollingMean);
  const trendPer30Days = slopePer30Days(moments, Math.max(0, moments.length - config.trendMoments));
  return {
    id: doc.id,
    customerId: doc.customerId,
    moments,
    count: moments.length,
    rollingMean: round(rollingMean),
    mostPositive,
    mostNegative,
    peak,
    end,
    peakEnd: round((peak!.score + end.score) / 2),
    trendPer30Days,
    trend:
      trendPer30Days === null
        ? null
        : trendPer30Days > FLAT_SLOPE
          ? 'rising'
          : trendPer30Days < -FLAT_SLOPE
            ? 'falling'
            : 'flat',
    drop: { flagged: amount > config.dropThreshold, amount, highAt: amount > 0 ? highAt : null },
    erased: doc.erased,
    erasedAt: doc.erasedAt,
    lastPosition,
  };
}

/**
 * The rolling mean (over up to `window` moments) at each of the last `lookback` moments: the current
 * one, and the highest of them with its time (the latest of equal highs). Only the tail is read.
 */
export function recentRollingMeans(
  moments: readonly SentimentMoment[],
  window: number,
  lookback: number,
): { rollingMean: number; highMean: number; highAt: string } {
  const first = Math.max(0, moments.length - lookback);
  let sum = 0;
  for (let j = Math.max(0, first - window); j < first; j++) sum += moments[j]!.score;
  let mean = 0;
  let highMean = -Infinity;
  let highAt = '';
  for (let i = first; i < moments.length; i++) {
    sum += moments[i]!.score; // sliding window: add the newest, drop the one that left
    if (i - window >= 0) sum -= moments[i - window]!.score;
    mean = sum / Math.min(window, i + 1);
    if (mean >= highMean) {
      highMean = mean;
      highAt = moments[i]!.at;
    }
  }
  return { rollingMean: mean, highMean, highAt };
}

// Every event refits the trend over the last `trendMoments` moments, so each moment's time would be
// parsed that many times: the times of recent moments are remembered (a bounded memo of a pure function).
const TIME_MEMO_LIMIT = 1024;
const parsedTimes = new Map<string, number>();
function timeOf(at: string): number {
  let time = parsedTimes.get(at);
  if (time === undefined) {
    if (parsedTimes.size >= TIME_MEMO_LIMIT) parsedTimes.clear();
    time = Date.parse(at);
    parsedTimes.set(at, time);
  }
  return time;
}

/** Least-squares slope of score against time over moments[from..], per 30 days; null below two or at one instant. */
function slopePer30Days(moments: readonly SentimentMoment[], from: number): number | null {
  const n = moments.length - from;
  if (n < 2) return null;
  const t0 = timeOf(moments[from]!.at);
  let sumX = 0;
  let sumY = 0;
  for (let i = from; i < moments.length; i++) {
    sumX += (timeOf(moments[i]!.at) - t0) / DAY_MS;
    sumY += moments[i]!.score;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = from; i < moments.length; i++) {
    const dx = (timeOf(moments[i]!.at) - t0) / DAY_MS - meanX;
    sxx += dx ** 2;
    sxy += dx * (moments[i]!.score - meanY);
  }
  return sxx === 0 ? null : round((sxy / sxx) * 30);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
