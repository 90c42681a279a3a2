import type { MatchedTerm } from '../sentiment.types';
import type { RawScore } from '../zh/chinese-scorer';
import { EN_CUSTOMER_SERVICE_TERMS } from './customer-service-terms';

// The lexicon of the `sentiment` package (AFINN-165 plus its emoji labels) with our customer-service
// terms on top, compiled once into a Map. Scoring runs in every projection rebuild and as-of replay,
// so the text is tokenised here in one pass, exactly as the package's `analyze` tokenises (lower case,
// split on spaces and .,/#!?$%^&*;:{}=_`"~()), without its regex passes and per-word result objects.
const AFINN = require('sentiment/languages/en/labels.json') as Record<string, number>;
const EMOJI = require('sentiment/build/emoji.json') as Record<string, number>;
const LABELS: ReadonlyMap<string, number> = new Map(Object.entries({ ...AFINN, ...EN_CUSTOMER_SERVICE_TERMS, ...EMOJI }));

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
const WHITESPACE = /\s+/;
/** The characters the `sentiment` tokenizer turns into spaces. */
const PUNCTUATION = /[.,/#!?$%^&*;:{}=_`"~()]+/;

/** Weight of a lexicon word after the degree adverbs and negators up to LOOKBACK tokens before it. */
function applyModifiers(tokens: readonly string[], cursor: number, tokenScore: number): number {
  let score = tokenScore;
  const token = tokens[cursor]!;
  if (token === 'like' && WISH_MARKERS.has(tokens[cursor - 1] ?? '')) return 0;
  const flippable = !NOT_FLIPPED.has(token);
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

/** Appends the tokens of one whitespace-free word: lower-cased, split on the tokenizer's punctuation. */
function pushTokens(tokens: string[], word: string): void {
  const lower = word.toLowerCase();
  if (!PUNCTUATION.test(lower)) {
    tokens.push(lower);
    return;
  }
  for (const piece of lower.split(PUNCTUATION)) if (piece !== '') tokens.push(piece);
}

interface Clause {
  weight: number;
  tokens: string[];
}

/** Scores English text clause by clause; after "but" counts more, before it less. */
export function scoreEnglish(text: string): RawScore {
  const clauses: Clause[] = [];
  for (const part of text.split(CLAUSE_SPLIT)) {
    let current: Clause = { weight: 1, tokens: [] };
    for (const word of part.trim().split(WHITESPACE)) {
      if (word === '') continue;
      if (!CONTRAST.has(word.toLowerCase())) {
        pushTokens(current.tokens, word);
        continue;
      }
      clauses.push(current);
      for (const clause of clauses) clause.weight *= 0.5;
      current = { weight: 1.5, tokens: [] };
    }
    clauses.push(current);
  }

  let sum = 0;
  const terms: MatchedTerm[] = [];
  for (const { weight: clauseWeight, tokens } of clauses) {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      const label = LABELS.get(token);
      if (label === undefined) continue;
      const score = applyModifiers(tokens, i, label);
      if (score === 0) continue;
      const weight = Math.round(score * clauseWeight * 1000) / 1000;
      sum += weight;
      terms.push({ term: token, weight });
    }
  }
  return { sum, terms };
}
