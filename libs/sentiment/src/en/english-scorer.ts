import Sentiment from 'sentiment';
import type { MatchedTerm } from '../sentiment.types';
import type { RawScore } from '../zh/chinese-scorer';
import { EN_CUSTOMER_SERVICE_TERMS } from './customer-service-terms';

// AFINN-165 via `sentiment`, registered as its own language so our customer-service terms and
// scoring strategy never leak into the library's shared 'en' labels.
const LANGUAGE = 'en-rapport';

const NEGATORS = new Set([
  'not', 'no', 'never', 'none', 'nothing', 'nobody', 'neither', 'nor', 'without', 'hardly', 'barely', 'cannot',
  'cant', "can't", 'dont', "don't", 'doesnt', "doesn't", 'didnt', "didn't", 'isnt', "isn't", 'wasnt', "wasn't",
  'arent', "aren't", 'werent', "weren't", 'wont', "won't", 'couldnt', "couldn't", 'shouldnt', "shouldn't",
  'wouldnt', "wouldn't", 'havent', "haven't", 'hasnt', "hasn't", 'hadnt', "hadn't", 'aint', "ain't",
]);

const DEGREE = new Map<string, number>([
  ['very', 1.5], ['really', 1.4], ['so', 1.4], ['extremely', 1.8], ['incredibly', 1.8], ['absolutely', 1.7],
  ['totally', 1.6], ['completely', 1.6], ['utterly', 1.8], ['super', 1.5], ['truly', 1.4], ['most', 1.3],
  ['too', 1.3], ['highly', 1.5], ['quite', 1.1], ['pretty', 1.1], ['fairly', 0.8], ['somewhat', 0.6],
  ['slightly', 0.5], ['bit', 0.6], ['little', 0.6], ['kinda', 0.6], ['rather', 0.8],
]);

/** "I'd like to change my address" asks for something; it is not praise. */
const WISH_MARKERS = new Set(['would', "i'd", "we'd", 'id', 'wed', 'you']);
/** Negative nouns that stay negative when negated: "no refund yet" is no better than "refund". */
const NOT_FLIPPED = new Set(['refund', 'refunds', 'return', 'charged', 'charges']);
const NEGATED_WEIGHT = 0.75; // "not good" is weaker than "bad" (VADER uses 0.74)
const LOOKBACK = 3;

const CONTRAST = new Set(['but', 'however', 'though', 'although', 'yet']);
const CLAUSE_SPLIT = /[.!?;,\n]+/;

let analyzer: Sentiment | null = null;

function sentiment(): Sentiment {
  if (!analyzer) {
    analyzer = new Sentiment();
    const afinn = require('sentiment/languages/en/labels.json') as Record<string, number>;
    analyzer.registerLanguage(LANGUAGE, {
      labels: { ...afinn, ...EN_CUSTOMER_SERVICE_TERMS },
      scoringStrategy: { apply: applyModifiers },
    });
  }
  return analyzer;
}

function applyModifiers(tokens: string[], cursor: number, tokenScore: number): number {
  let score = tokenScore;
  const token = tokens[cursor];
  if (token === 'like' && WISH_MARKERS.has(tokens[cursor - 1] ?? '')) return 0;
  const flippable = !NOT_FLIPPED.has(token ?? '');
  for (let j = cursor - 1; j >= Math.max(0, cursor - LOOKBACK); j--) {
    const before = tokens[j]!;
    const degree = DEGREE.get(before);
    if (degree !== undefined) score *= degree;
    else if (NEGATORS.has(before)) {
      if (flippable) score *= -NEGATED_WEIGHT;
      break;
    }
  }
  return score;
}

/** Scores English text clause by clause; after "but" counts more, before it less. */
export function scoreEnglish(text: string): RawScore {
  const clauses: { weight: number; text: string }[] = [];
  for (const part of text.split(CLAUSE_SPLIT)) {
    let current: string[] = [];
    let weight = 1;
    for (const word of part.trim().split(/\s+/)) {
      if (!CONTRAST.has(word.toLowerCase())) {
        current.push(word);
        continue;
      }
      clauses.push({ weight, text: current.join(' ') });
      for (const clause of clauses) clause.weight *= 0.5;
      current = [];
      weight = 1.5;
    }
    clauses.push({ weight, text: current.join(' ') });
  }

  let sum = 0;
  const terms: MatchedTerm[] = [];
  for (const clause of clauses) {
    if (!clause.text) continue;
    const result = sentiment().analyze(clause.text, { language: LANGUAGE });
    // `calculation` lists the matched words last-to-first with their strategy-adjusted scores.
    for (let k = result.calculation.length - 1; k >= 0; k--) {
      const entry = result.calculation[k]!;
      for (const [term, score] of Object.entries(entry)) {
        if (score === 0) continue;
        const weight = Math.round(score * clause.weight * 1000) / 1000;
        sum += weight;
        terms.push({ term, weight });
      }
    }
  }
  return { sum, terms };
}
