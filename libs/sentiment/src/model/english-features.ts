// Features of English text for the linear model: words (marked when negated), word bigrams,
// character 3-5-grams of each word (so "disappointing" shares evidence with "disappointed"), and the
// AFINN lexicon with our customer-service terms as one learned weight for words the corpus lacks.
import { EN_CUSTOMER_SERVICE_TERMS } from '../en/customer-service-terms';
import { combineHash, type FeatureBuffer, FNV_OFFSET, fnvStep, hashUnit } from './feature-buffer';

const AFINN = require('sentiment/languages/en/labels.json') as Record<string, number>;
const EMOJI = require('sentiment/build/emoji.json') as Record<string, number>;
/** AFINN-165, its emoji and our customer-service terms (public vocabulary, see the training tool). */
export const LEXICON: ReadonlyMap<string, number> = new Map(
  Object.entries({ ...AFINN, ...EN_CUSTOMER_SERVICE_TERMS, ...EMOJI }),
);

/** Words that negate what follows them in their clause ("n't" is split off as "not", as SST does). */
export const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'nothing', 'nobody', 'none', 'neither', 'nor', 'without', 'hardly', 'barely', 'cannot',
  'cant', 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'arent', 'werent', 'wont', 'couldnt', 'shouldnt', 'wouldnt',
  'havent', 'hasnt', 'hadnt', 'aint', 'lack', 'lacks', 'lacking',
]); // prettier-ignore
/** Words that start a new clause: what follows "but" is not negated by what came before. */
const CONTRAST = new Set(['but', 'however', 'although', 'though', 'yet', 'whereas']);
/** How many words after a negator it reaches. */
const NEGATION_REACH = 4;

const SEED_WORD = 0x1001;
const SEED_WORD_NEGATED = 0x1002;
const SEED_BIGRAM = 0x1003;
const SEED_CHARS = 0x1004;
const SEED_CHARS_NEGATED = 0x1005;
const LEXICON_FEATURE = combineHash(FNV_OFFSET, 0x1006);
/** Weight of character n-grams against whole words (there are many more of them). */
const CHAR_WEIGHT = 0.2;
const LEXICON_SCALE = 0.5;
/** After "but" counts more than before it (as VADER weighs it): "nice product but awful delivery". */
export const BEFORE_CONTRAST = 0.5;
export const AFTER_CONTRAST = 1.5;

/** The words of a text, with their clause and whether a negator reaches them. */
export interface EnglishUnits {
  words: string[];
  negated: boolean[];
  clause: number[];
  /** Index of the last contrast word (but, however, ...), -1 when none. */
  contrastAt: number;
}

const isWordCode = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 0xdf && c <= 0x24f && c !== 0xf7);
const isClauseBreak = (c: number): boolean =>
  c === 46 || c === 44 || c === 33 || c === 63 || c === 59 || c === 58 || c === 10;

/** Lower-cased words; "don't" becomes "do not" and "it's" "it s", as SST-2 is tokenised. */
export function englishUnits(text: string): EnglishUnits {
  const lower = text.toLowerCase();
  const units: EnglishUnits = { words: [], negated: [], clause: [], contrastAt: -1 };
  let clause = 0;
  let start = -1;
  let negation = 0;
  const push = (word: string): void => {
    if (CONTRAST.has(word)) {
      clause++;
      negation = 0;
      units.contrastAt = units.words.length;
    }
    units.words.push(/^[0-9]+$/.test(word) ? '<num>' : word);
    units.negated.push(negation > 0);
    units.clause.push(clause);
    if (negation > 0) negation--;
    if (NEGATORS.has(word)) negation = NEGATION_REACH;
  };
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    if (isWordCode(c)) {
      if (start < 0) start = i;
      continue;
    }
    let word = start >= 0 ? lower.slice(start, i) : '';
    start = -1;
    // "n't": the "n" belongs to the negation, not to the word ("doesn't" -> "does not", "ca n't" -> "ca not")
    if (
      (c === 39 || c === 0x2019) &&
      lower.charCodeAt(i + 1) === 116 &&
      !isWordCode(lower.charCodeAt(i + 2) || 32) &&
      word.endsWith('n')
    ) {
      word = word.slice(0, -1);
      if (word !== '') push(word);
      push('not');
      i++;
      continue;
    }
    if (word !== '') push(word);
    if (c >= 0xd800 && c <= 0xdbff) {
      const emoji = lower.slice(i, i + 2);
      if (LEXICON.has(emoji)) push(emoji);
      i++;
    } else if (c >= 0x2600 && c <= 0x27bf && LEXICON.has(lower[i]!)) push(lower[i]!);
    else if (isClauseBreak(c)) {
      clause++;
      negation = 0;
    }
  }
  return units;
}

/** The character codes of "<word>", reused from word to word. */
let codes = new Int32Array(64);

/** Adds the features of the text to `out` (units are word indexes) and returns its words. */
export function englishFeatures(text: string, out: FeatureBuffer): EnglishUnits {
  const units = englishUnits(text);
  const { words, negated, clause, contrastAt } = units;
  let previous = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const weight = contrastAt < 0 ? 1 : i < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST;
    const hash = hashUnit(word);
    const neg = negated[i]!;
    out.add(combineHash(hash, neg ? SEED_WORD_NEGATED : SEED_WORD), weight, i, i);
    if (i > 0 && clause[i - 1] === clause[i])
      out.add(combineHash(combineHash(previous, hash), SEED_BIGRAM), weight, i - 1, i);
    previous = hash;
    const lexicon = LEXICON.get(word);
    if (lexicon !== undefined && lexicon !== 0)
      out.add(LEXICON_FEATURE, (neg ? -0.75 : 1) * lexicon * LEXICON_SCALE * weight, i, i);
    if (word.length < 3 || word === '<num>') continue;
    // character n-grams of "<word>", the brackets marking its ends
    const start = fnvStep(FNV_OFFSET, neg ? SEED_CHARS_NEGATED : SEED_CHARS);
    const n = word.length + 2;
    if (codes.length < n) codes = new Int32Array(n * 2);
    codes[0] = 60;
    for (let k = 0; k < word.length; k++) codes[k + 1] = word.charCodeAt(k);
    codes[n - 1] = 62;
    const value = CHAR_WEIGHT * weight;
    for (let s = 0; s + 3 <= n; s++) {
      let h = fnvStep(fnvStep(start, codes[s]!), codes[s + 1]!);
      const last = Math.min(n, s + 5);
      for (let k = s + 2; k < last; k++) {
        h = fnvStep(h, codes[k]!);
        out.add(h, value, i, i);
      }
    }
  }
  return units;
}
