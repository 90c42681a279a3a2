import { ERASED_TEXT, type CustomerEventType, type SurveyKind } from '@rapport/domain';
import type { Projection, ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import { isScoredSurveyKind, isSurveyScoreInRange, normaliseSurveyScore, scoreText, type TextLanguage } from '@rapport/sentiment';

export const SENTIMENT_TIMELINE_VERSION = 1;

export const SENTIMENT_TIMELINE_HANDLES: readonly CustomerEventType[] = ['SurveyResponded', 'ComplaintFiled', 'CallLogged', 'CustomerErased'];

export interface SentimentTimelineConfig {
  /** Moments in the rolling mean. */
  rollingWindow: number;
  /** A drop is flagged when the rolling mean is this far below its recent high. */
  dropThreshold: number;
  /** How many moments back "recent high" looks. */
  dropLookback: number;
  /** Moments the trend slope is fitted over. */
  trendMoments: number;
}

export const DEFAULT_SENTIMENT_TIMELINE_CONFIG: SentimentTimelineConfig = {
  rollingWindow: 5,
  dropThreshold: 0.4,
  dropLookback: 10,
  trendMoments: 10,
};

export type MomentSource = 'survey' | 'complaint' | 'call';
/** A survey scale (nps, csat, ces) or 'text' for the sentiment of a comment, description or note. */
export type MomentKind = Exclude<SurveyKind, 'feedback'> | 'text';

/** One scored moment. No text: only the score, where it came from and when. */
export interface SentimentMoment {
  at: string;
  position: number;
  source: MomentSource;
  kind: MomentKind;
  score: number;
  language?: Exclude<TextLanguage, 'unknown'>;
}

export interface SentimentDrop {
  flagged: boolean;
  /** Recent high of the rolling mean minus the current rolling mean (0 when none). */
  amount: number;
  highAt: string | null;
}

export interface SentimentTimelineDoc extends Doc {
  customerId: string;
  moments: SentimentMoment[];
  count: number;
  rollingMean: number | null;
  mostPositive: SentimentMoment | null;
  mostNegative: SentimentMoment | null;
  /** The most intense moment, by absolute score (ties: the later one). */
  peak: SentimentMoment | null;
  end: SentimentMoment | null;
  /** (peak + end) / 2, Kahneman's peak-end rule. */
  peakEnd: number | null;
  /** Least-squares slope of score over time, per 30 days, over the last `trendMoments` moments. */
  trendPer30Days: number | null;
  trend: 'rising' | 'falling' | 'flat' | null;
  drop: SentimentDrop;
  erased: boolean;
  erasedAt: string | null;
  lastPosition: number;
}

const DAY_MS = 86_400_000;
const FLAT_SLOPE = 0.05;

export function createSentimentTimelineProjection(config: SentimentTimelineConfig = DEFAULT_SENTIMENT_TIMELINE_CONFIG): Projection<SentimentTimelineDoc> {
  return {
    name: 'sentiment-timeline',
    version: SENTIMENT_TIMELINE_VERSION,
    handles: SENTIMENT_TIMELINE_HANDLES,
    indexes: [{ fields: ['drop.flagged', 'drop.amount'] }, { fields: ['rollingMean'] }, { fields: ['peakEnd'] }, { fields: ['end.at'] }],
    evolve: (doc, event) => evolveSentimentTimeline(doc, event, config),
  };
}

export const sentimentTimelineProjection = createSentimentTimelineProjection();

export function evolveSentimentTimeline(
  doc: SentimentTimelineDoc | null,
  event: ProjectedEvent,
  config: SentimentTimelineConfig = DEFAULT_SENTIMENT_TIMELINE_CONFIG,
): SentimentTimelineDoc | null {
  if (doc && event.position <= doc.lastPosition) return doc; // already applied
  if (event.type === 'CustomerErased') {
    if (!doc) return null;
    return { ...doc, erased: true, erasedAt: event.metadata.occurredAt, lastPosition: event.position };
  }
  const moments = momentsOf(event);
  if (moments.length === 0) return doc ? { ...doc, lastPosition: event.position } : null;
  const current = doc ?? emptyDoc(event.data.customerId);
  let next = current.moments;
  for (const moment of moments) next = withMoment(next, moment);
  return summarise({ ...current, moments: next, lastPosition: event.position }, moments, config);
}

function momentsOf(event: ProjectedEvent): SentimentMoment[] {
  const base = { at: event.metadata.occurredAt, position: event.position };
  switch (event.type) {
    case 'SurveyResponded': {
      const { kind, score, comment } = event.data;
      const moments: SentimentMoment[] = [];
      if (score !== undefined && isScoredSurveyKind(kind) && isSurveyScoreInRange(kind, score)) {
        moments.push({ ...base, source: 'survey', kind, score: normaliseSurveyScore(kind, score) });
      }
      const text = textMoment(comment, base, 'survey');
      if (text) moments.push(text);
      return moments;
    }
    case 'ComplaintFiled':
      return optional(textMoment(event.data.description, base, 'complaint'));
    case 'CallLogged':
      return optional(textMoment(event.data.notes, base, 'call'));
    default:
      return [];
  }
}

/** Text with no sentiment-bearing term is not a moment: a factual note would only dilute the mean. */
function textMoment(text: string | undefined, base: { at: string; position: number }, source: MomentSource): SentimentMoment | null {
  if (!text || text === ERASED_TEXT) return null;
  const { score, language, terms } = scoreText(text);
  if (language === 'unknown' || terms.length === 0) return null;
  return { ...base, source, kind: 'text', score, language };
}

const optional = <T>(x: T | null): T[] => (x ? [x] : []);

function emptyDoc(customerId: string): SentimentTimelineDoc {
  return {
    id: customerId,
    customerId,
    moments: [],
    count: 0,
    rollingMean: null,
    mostPositive: null,
    mostNegative: null,
    peak: null,
    end: null,
    peakEnd: null,
    trendPer30Days: null,
    trend: null,
    drop: { flagged: false, amount: 0, highAt: null },
    erased: false,
    erasedAt: null,
    lastPosition: 0,
  };
}

const isBefore = (a: SentimentMoment, b: SentimentMoment): boolean =>
  a.at < b.at || (a.at === b.at && a.position < b.position);

/**
 * A new array with the moment at its place by (occurredAt, position): an event recorded late lands
 * at its place in time. One allocation of the final size; the moments themselves are shared.
 */
function withMoment(moments: readonly SentimentMoment[], moment: SentimentMoment): SentimentMoment[] {
  const last = moments[moments.length - 1];
  if (last === undefined || !isBefore(moment, last)) return moments.concat([moment]); // the usual case: in order
  let lo = 0;
  let hi = moments.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (!isBefore(moment, moments[mid]!)) lo = mid + 1; // after equals: a survey's score, then its comment
    else hi = mid;
  }
  return moments.slice(0, lo).concat([moment], moments.slice(lo));
}

function summarise(doc: SentimentTimelineDoc, added: SentimentMoment[], config: SentimentTimelineConfig): SentimentTimelineDoc {
  const { moments } = doc;
  // Extremes only grow as moments are added, so they update incrementally; ties go to the later moment.
  let { mostPositive, mostNegative, peak } = doc;
  for (const m of added) {
    if (!mostPositive || m.score > mostPositive.score || (m.score === mostPositive.score && isBefore(mostPositive, m))) mostPositive = m;
    if (!mostNegative || m.score < mostNegative.score || (m.score === mostNegative.score && isBefore(mostNegative, m))) mostNegative = m;
    const intensity = Math.abs(m.score);
    if (!peak || intensity > Math.abs(peak.score) || (intensity === Math.abs(peak.score) && isBefore(peak, m))) peak = m;
  }
  const end = moments[moments.length - 1]!;
  const { rollingMean, highMean, highAt } = recentRollingMeans(moments, config.rollingWindow, config.dropLookback);
  const amount = round(highMean - rollingMean);
  const trendPer30Days = slopePer30Days(moments, Math.max(0, moments.length - config.trendMoments));
  return {
    ...doc,
    count: moments.length,
    rollingMean: round(rollingMean),
    mostPositive,
    mostNegative,
    peak,
    end,
    peakEnd: round((peak!.score + end.score) / 2),
    trendPer30Days,
    trend: trendPer30Days === null ? null : trendPer30Days > FLAT_SLOPE ? 'rising' : trendPer30Days < -FLAT_SLOPE ? 'falling' : 'flat',
    drop: { flagged: amount > config.dropThreshold, amount, highAt: amount > 0 ? highAt : null },
  };
}

/**
 * The rolling mean (over up to `window` moments) at each of the last `lookback` moments: the current
 * one, and the highest of them with its time (the latest of equal highs). Only the tail is read.
 */
function recentRollingMeans(moments: readonly SentimentMoment[], window: number, lookback: number): { rollingMean: number; highMean: number; highAt: string } {
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

/** Least-squares slope of score against time over moments[from..], per 30 days; null below two or at one instant. */
function slopePer30Days(moments: readonly SentimentMoment[], from: number): number | null {
  const n = moments.length - from;
  if (n < 2) return null;
  const t0 = Date.parse(moments[from]!.at);
  const xs = new Float64Array(n);
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    const x = (Date.parse(moments[from + i]!.at) - t0) / DAY_MS;
    xs[i] = x;
    sumX += x;
    sumY += moments[from + i]!.score;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - meanX) ** 2;
    sxy += (xs[i]! - meanX) * (moments[from + i]!.score - meanY);
  }
  return sxx === 0 ? null : round((sxy / sxx) * 30);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
