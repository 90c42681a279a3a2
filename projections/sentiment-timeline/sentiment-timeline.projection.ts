import { ERASED_TEXT, type CustomerEventType, type SurveyKind } from '@rapport/domain';
import type { Projection, ProjectedEvent } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import {
  isScoredSurveyKind,
  isSurveyScoreInRange,
  labelOf,
  normaliseSurveyScore,
  scoreText,
  type MatchedTerm,
  type TextLanguage,
} from '@rapport/sentiment';
import { copyTimelineDoc, isBefore, summarise } from './sentiment-figures';

// v3: text scored by the trained models, words that drove each text, one moment per survey response
export const SENTIMENT_TIMELINE_VERSION = 3;
/** How many driving words or phrases a moment keeps. */
export const MOMENT_TERMS = 3;

export const SENTIMENT_TIMELINE_HANDLES: readonly CustomerEventType[] = [
  'SurveyResponded',
  'ComplaintFiled',
  'CallLogged',
  'CustomerErased',
];

/** The personal-data fields `evolve` reads as plaintext (the texts it scores, see `momentsOf`), by event type. */
export const SENTIMENT_TEXT_FIELDS: Readonly<Partial<Record<CustomerEventType, readonly string[]>>> = {
  SurveyResponded: ['comment'],
  ComplaintFiled: ['description'],
  CallLogged: ['notes'],
};

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

/**
 * One scored moment. A survey answered with both a rating and a comment is one moment: the rating is
 * its score (the customer's own number beats a model's reading of the words), the comment's sentiment
 * is kept beside it as `textScore`, with the words that drove it.
 */
export interface SentimentMoment {
  at: string;
  /** When Rapport learned of it (the event's recordedAt): what an as-known-at question filters on. */
  recordedAt: string;
  position: number;
  source: MomentSource;
  kind: MomentKind;
  score: number;
  language?: Exclude<TextLanguage, 'unknown'>;
  /** The text's sentiment when the score is a survey rating and the survey had a comment. */
  textScore?: number;
  /**
   * The words or phrases of the text that drove its sentiment, strongest first (at most MOMENT_TERMS),
   * for auditors and agents: fragments of personal data, removed when the customer is erased.
   */
  terms?: MatchedTerm[];
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

/** The projection, plus its one-pass fold over one customer's events (see `foldSentimentTimeline`). */
export interface SentimentTimelineProjection extends Projection<SentimentTimelineDoc> {
  fold(doc: SentimentTimelineDoc | null, events: Iterable<ProjectedEvent>): SentimentTimelineDoc | null;
}

export function createSentimentTimelineProjection(
  config: SentimentTimelineConfig = DEFAULT_SENTIMENT_TIMELINE_CONFIG,
): SentimentTimelineProjection {
  return {
    name: 'sentiment-timeline',
    version: SENTIMENT_TIMELINE_VERSION,
    handles: SENTIMENT_TIMELINE_HANDLES,
    indexes: [
      { fields: ['drop.flagged', 'drop.amount'] },
      { fields: ['rollingMean'] },
      { fields: ['peakEnd'] },
      { fields: ['end.at'] },
    ],
    evolve: (doc, event) => evolveSentimentTimeline(doc, event, config),
    fold: (doc, events) => foldSentimentTimeline(doc, events, config),
  };
}

export const sentimentTimelineProjection = createSentimentTimelineProjection();

export function evolveSentimentTimeline(
  doc: SentimentTimelineDoc | null,
  event: ProjectedEvent,
  config: SentimentTimelineConfig = DEFAULT_SENTIMENT_TIMELINE_CONFIG,
): SentimentTimelineDoc | null {
  return step(doc, event, config, null);
}

/**
 * The document after a run of events: equal to folding `evolveSentimentTimeline` over them (a property
 * test holds it to that) but in one pass, as the domain's `rehydrate` does. `evolve` must copy the
 * moments on every event, which makes a long stream quadratic; the fold copies them once, then
 * inserts into that private copy. For replays and rebuilds of one customer's stream.
 */
export function foldSentimentTimeline(
  doc: SentimentTimelineDoc | null,
  events: Iterable<ProjectedEvent>,
  config: SentimentTimelineConfig = DEFAULT_SENTIMENT_TIMELINE_CONFIG,
): SentimentTimelineDoc | null {
  const owned: OwnedMoments = { moments: null, added: false };
  let current = doc;
  for (const event of events) current = step(current, event, config, owned);
  // The figures depend only on the final moments: computed once, as the last event that added one would have.
  return current && owned.added ? summarise(current, current.moments, [], current.lastPosition, config) : current;
}

/** What a fold owns: the moments array it copied and may change in place (null: none yet), and whether it added any. */
interface OwnedMoments {
  moments: SentimentMoment[] | null;
  added: boolean;
}

function step(
  doc: SentimentTimelineDoc | null,
  event: ProjectedEvent,
  config: SentimentTimelineConfig,
  owned: OwnedMoments | null,
): SentimentTimelineDoc | null {
  if (doc && event.position <= doc.lastPosition) return doc; // already applied
  if (event.type === 'CustomerErased') {
    if (!doc) return null;
    const next = withoutTerms(doc);
    next.erased = true;
    next.erasedAt = event.metadata.occurredAt;
    next.lastPosition = event.position;
    return next;
  }
  const added = momentsOf(event);
  if (added.length === 0) {
    if (!doc) return null;
    const next = copyTimelineDoc(doc);
    next.lastPosition = event.position;
    return next;
  }
  const current = doc ?? emptySentimentTimeline(event.data.customerId);
  let moments = current.moments;
  if (!owned) {
    for (const moment of added) moments = withMoment(moments, moment);
    return summarise(current, moments, added, event.position, config);
  }
  for (const moment of added) moments = withMomentInPlace(owned, moments, moment);
  owned.added = true;
  return summarise(current, moments, added, event.position, config, false);
}

function momentsOf(event: ProjectedEvent): SentimentMoment[] {
  const at = event.metadata.occurredAt;
  const recordedAt = event.metadata.recordedAt;
  const position = event.position;
  switch (event.type) {
    case 'SurveyResponded': {
      const { kind, score, comment } = event.data;
      const text = textMoment(comment, at, recordedAt, position, 'survey');
      if (score === undefined || !isScoredSurveyKind(kind) || !isSurveyScoreInRange(kind, score)) return optional(text);
      const moment: SentimentMoment = {
        at,
        recordedAt,
        position,
        source: 'survey',
        kind,
        score: normaliseSurveyScore(kind, score),
      };
      if (text) {
        moment.language = text.language;
        moment.textScore = text.score;
        moment.terms = text.terms;
      }
      return [moment];
    }
    case 'ComplaintFiled':
      return optional(textMoment(event.data.description, at, recordedAt, position, 'complaint'));
    case 'CallLogged':
      return optional(textMoment(event.data.notes, at, recordedAt, position, 'call'));
    default:
      return [];
  }
}

/**
 * Text without an opinion (its score inside labelOf's neutral band) is not a moment: a factual note
 * ("customer asked for the invoice") would only pull the mean towards 0.
 */
function textMoment(
  text: string | undefined,
  at: string,
  recordedAt: string,
  position: number,
  source: MomentSource,
): SentimentMoment | null {
  if (!text || text === ERASED_TEXT) return null;
  const { score, language, terms } = scoreText(text);
  if (language === 'unknown' || labelOf(score) === 'neutral') return null;
  return { at, recordedAt, position, source, kind: 'text', score, language, terms: terms.slice(0, MOMENT_TERMS) };
}

/** The document with no moment keeping words: what erasure leaves (the scores stay). */
function withoutTerms(doc: SentimentTimelineDoc): SentimentTimelineDoc {
  const stripped = new Map<SentimentMoment, SentimentMoment>();
  const strip = (m: SentimentMoment): SentimentMoment => {
    if (m.terms === undefined) return m;
    let copy = stripped.get(m);
    if (!copy) {
      const { terms: _dropped, ...rest } = m;
      copy = rest;
      stripped.set(m, copy);
    }
    return copy;
  };
  const next = copyTimelineDoc(doc);
  next.moments = doc.moments.map(strip);
  next.mostPositive = doc.mostPositive && strip(doc.mostPositive);
  next.mostNegative = doc.mostNegative && strip(doc.mostNegative);
  next.peak = doc.peak && strip(doc.peak);
  next.end = doc.end && strip(doc.end);
  return next;
}

const optional = <T>(x: T | null): T[] => (x ? [x] : []);

/** A customer's timeline before any scored moment: what evolve starts from, and what a known customer without one reads. */
export function emptySentimentTimeline(customerId: string): SentimentTimelineDoc {
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

/**
 * A new array with the moment at its place by (occurredAt, position): an event recorded late lands
 * at its place in time. One allocation of the final size; the moments themselves are shared.
 */
function withMoment(moments: readonly SentimentMoment[], moment: SentimentMoment): SentimentMoment[] {
  const at = insertionIndex(moments, moment);
  if (at === moments.length) return moments.concat([moment]); // the usual case: in order
  return moments.slice(0, at).concat([moment], moments.slice(at));
}

/** Where the moment goes: after every moment not later than it (a survey's score, then its comment). */
function insertionIndex(moments: readonly SentimentMoment[], moment: SentimentMoment): number {
  const last = moments[moments.length - 1];
  if (last === undefined || !isBefore(moment, last)) return moments.length;
  let lo = 0;
  let hi = moments.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (!isBefore(moment, moments[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The fold's own copy of the moments with the moment inserted in place (copied on first use). */
function withMomentInPlace(
  owned: OwnedMoments,
  moments: SentimentMoment[],
  moment: SentimentMoment,
): SentimentMoment[] {
  if (owned.moments !== moments) owned.moments = moments.slice();
  const own = owned.moments;
  const at = insertionIndex(own, moment);
  if (at === own.length) own.push(moment);
  else own.splice(at, 0, moment);
  return own;
}
