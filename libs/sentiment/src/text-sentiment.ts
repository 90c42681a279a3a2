import { detectLanguage } from './language';
import { chineseFeatures } from './model/chinese-features';
import { englishFeatures, NEGATORS } from './model/english-features';
import { combineHash, FeatureBuffer, hashUnit } from './model/feature-buffer';
import { isVocabulary, marginOf, type LinearModel } from './model/linear-model';
import { chineseModel, englishModel } from './model/shipped-models';
import type { MatchedTerm, SentimentLabel, TextSentiment } from './sentiment.types';

/**
 * Scores within ±NEUTRAL_BAND are labelled neutral: the model puts text without an opinion near 0
 * (it was trained to), and the band is set so that requests and factual notes read neutral
 * (calibrated on the neutral comments of data/labelled-comments.jsonl; see the model card).
 */
export const NEUTRAL_BAND = 0.45;
/** At most this many driving words or phrases are returned. */
export const MAX_TERMS = 5;
/** A second language counts when it has at least this share of the text's letters (a Latin letter a third of an ideograph). */
const MIXED_SHARE = 0.2;

const buffer = new FeatureBuffer((1 << 20) - 1);

interface Part {
  margin: number;
  terms: MatchedTerm[];
}

function scoreEnglishPart(text: string, model: LinearModel): Part {
  buffer.reset();
  const { words, clause, negated } = englishFeatures(text, buffer);
  buffer.normalise();
  const contributions = new Float64Array(words.length);
  const margin = marginOf(model, buffer, contributions);
  // a negated word is shown with its negator ("not like"), which is what the model read
  const withNegator = (i: number): boolean => negated[i]! && NEGATORS.has(words[i - 1] ?? '');
  return {
    margin,
    terms: drivers(words, clause, contributions, ' ', withNegator, (from, to) =>
      englishVocabulary(model, words, from, to),
    ),
  };
}

function scoreChinesePart(text: string, model: LinearModel): Part {
  buffer.reset();
  const { units, clause } = chineseFeatures(text, buffer);
  buffer.normalise();
  const contributions = new Float64Array(units.length);
  const margin = marginOf(model, buffer, contributions);
  return {
    margin,
    terms: drivers(
      units,
      clause,
      contributions,
      '',
      () => false,
      (from, to) => chineseVocabulary(model, units, from, to),
    ),
  };
}

/**
 * Phrases from per-unit contributions: runs of neighbouring units of one clause pushing the same way
 * ("was awful", "太失望"), each weighted by its summed contribution; the strongest MAX_TERMS. A run
 * starting at a unit for which `withPrevious` holds takes the unit before it in too. Only phrases made
 * of public vocabulary are shown (`isPublic`): a customer's name or an order id can move the score a
 * little, but it is never listed (terms are kept in read models).
 */
function drivers(
  units: readonly string[],
  clause: readonly number[],
  contributions: Float64Array,
  joiner: string,
  withPrevious: (i: number) => boolean,
  isPublic: (from: number, to: number) => boolean,
): MatchedTerm[] {
  let strongest = 0;
  for (const c of contributions) strongest = Math.max(strongest, Math.abs(c));
  const floor = Math.max(0.05, strongest * 0.2);
  const runs: { start: number; end: number; weight: number }[] = [];
  let lastStart = -1;
  let lastEnd = 0; // the last phrase covers units [lastStart, lastEnd)
  for (let i = 0; i < units.length;) {
    const c = contributions[i]!;
    if (Math.abs(c) < floor) {
      i++;
      continue;
    }
    let j = i + 1;
    let sum = c;
    while (
      j < units.length &&
      clause[j] === clause[i] &&
      Math.abs(contributions[j]!) >= floor &&
      Math.sign(contributions[j]!) === Math.sign(c)
    )
      sum += contributions[j++]!;
    let start = i;
    if (i > 0 && withPrevious(i) && lastEnd <= i - 1)
      start = i - 1; // the unit before is free
    else if (i > 0 && withPrevious(i) && lastStart === i - 1 && lastEnd === i) {
      start = i - 1; // the unit before stood alone: it joins this phrase instead
      runs.pop();
    }
    if (start < i) sum += contributions[start]!;
    runs.push({ start, end: j, weight: sum });
    lastStart = start;
    lastEnd = j;
    i = j;
  }
  // strongest first; the vocabulary is checked only until MAX_TERMS phrases are found
  runs.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  const out: MatchedTerm[] = [];
  for (const run of runs) {
    if (out.length === MAX_TERMS) break;
    if (isPublic(run.start, run.end))
      out.push({ term: units.slice(run.start, run.end).join(joiner), weight: Math.round(run.weight * 1000) / 1000 });
  }
  return out;
}

/** Every word of the phrase is public vocabulary (seen in many training texts): no name or id is shown. */
export function englishVocabulary(model: LinearModel, words: readonly string[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isVocabulary(model, vocabularyKey(words[i]!))) return false;
  return true;
}

/** Every pair of neighbouring characters of the phrase (or its one character) is public vocabulary. */
export function chineseVocabulary(model: LinearModel, units: readonly string[], from: number, to: number): boolean {
  if (to - from === 1) return isVocabulary(model, vocabularyKey(units[from]!));
  for (let i = from + 1; i < to; i++) if (!isVocabulary(model, vocabularyKey(units[i - 1]!, units[i]!))) return false;
  return true;
}

/** The vocabulary key of a word or character, or of a pair of characters. */
export function vocabularyKey(unit: string, next?: string): number {
  return next === undefined ? hashUnit(unit) : combineHash(hashUnit(unit), hashUnit(next));
}

/** Letters of each script: CJK ideographs, and Latin letters counted a third each (as detectLanguage does). */
function scriptShares(text: string): { cjk: number; latin: number } {
  let cjk = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (c >= 0x61 && c <= 0x7a) latin++;
    else if (c >= 0x3400 && c <= 0x9fff) cjk++;
  }
  return { cjk, latin: latin / 3 };
}

/**
 * Sentiment of a customer comment, complaint description or call note, in English or Chinese: a
 * logistic-regression model per language (docs/sentiment-model-card.md). Synchronous and
 * deterministic; the weights load once, on first use. `language` skips detection; text mixing both
 * languages is scored by both models, weighted by each script's share of the letters.
 */
export function scoreText(text: string, language?: Exclude<TextSentiment['language'], 'unknown'>): TextSentiment {
  const detected = language ?? detectLanguage(text);
  if (detected === 'unknown') return { score: 0, language: detected, confidence: 0, terms: [] };
  const { cjk, latin } = scriptShares(text);
  const zhShare = cjk + latin === 0 ? (detected === 'zh' ? 1 : 0) : cjk / (cjk + latin);
  let margin: number;
  let terms: MatchedTerm[];
  if (zhShare >= MIXED_SHARE && zhShare <= 1 - MIXED_SHARE) {
    const zh = scoreChinesePart(text, chineseModel());
    const en = scoreEnglishPart(text, englishModel());
    margin = zhShare * zh.margin + (1 - zhShare) * en.margin;
    terms = [...zh.terms.map((t) => scaled(t, zhShare)), ...en.terms.map((t) => scaled(t, 1 - zhShare))]
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
      .slice(0, MAX_TERMS);
  } else {
    ({ margin, terms } =
      detected === 'zh' ? scoreChinesePart(text, chineseModel()) : scoreEnglishPart(text, englishModel()));
  }
  const probability = 1 / (1 + Math.exp(-margin));
  return {
    score: round(2 * probability - 1),
    language: detected,
    confidence: round(Math.max(probability, 1 - probability)),
    terms,
  };
}

const scaled = (t: MatchedTerm, share: number): MatchedTerm => ({ term: t.term, weight: round(t.weight * share) });
const round = (x: number): number => Math.round(x * 1000) / 1000;

export function labelOf(score: number, neutralBand = NEUTRAL_BAND): SentimentLabel {
  if (score > neutralBand) return 'positive';
  if (score < -neutralBand) return 'negative';
  return 'neutral';
}
