// Features of Chinese text for the linear model: character 1-3-grams within a clause (no segmenter:
// n-grams carry 不好, 太失望, 没问题 without jieba's dictionary, and are several times faster), Latin
// words as single units, and the Chinese lexicon (negated by 不/没/...) as one learned weight.
import { toSimplified, ZH_NEGATORS, ZH_NEUTRAL_WORDS, ZH_SENTIMENT } from '../zh/chinese-lexicon';
import { combineHash, type FeatureBuffer, FNV_OFFSET, hashUnit } from './feature-buffer';

const SEED_UNIGRAM = 0x2001;
const SEED_BIGRAM = 0x2002;
const SEED_TRIGRAM = 0x2003;
const LEXICON_FEATURE = combineHash(FNV_OFFSET, 0x2004);
const LEXICON_SCALE = 0.5;
const NEGATED_WEIGHT = -0.8;

/** The units of a text: one CJK character, or one run of Latin letters and digits; with clause numbers. */
export interface ChineseUnits {
  units: string[];
  clause: number[];
  /** Index of the last contrast word (但, 不过, 可是, ...), -1 when none. */
  contrastAt: number;
}

/** Contrast words: what follows counts more ("好是好，但是太贵"); 就是/只是 are left out, too often not contrast. */
const CONTRAST = new Set(['但', '不过', '可是', '然而', '可惜', '却']);
/** First characters of the contrast words: the per-character check allocates nothing for the others. */
const CONTRAST_FIRST = new Set([...CONTRAST].map((w) => w.charCodeAt(0)));
const isContrastAt = (text: string, i: number): boolean => {
  for (const word of CONTRAST) if (text.startsWith(word, i)) return true;
  return false;
};
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;

const isCjk = (c: number): boolean =>
  (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
const isLatin = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 0x3000 || c === 0xa0;

export function chineseUnits(text: string): ChineseUnits {
  const simplified = toSimplified(text.toLowerCase());
  const out: ChineseUnits = { units: [], clause: [], contrastAt: -1 };
  let clause = 0;
  let start = -1;
  for (let i = 0; i <= simplified.length; i++) {
    const c = i < simplified.length ? simplified.charCodeAt(i) : 32;
    if (isLatin(c)) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      const word = simplified.slice(start, i);
      out.units.push(/^[0-9]+$/.test(word) ? '<num>' : word);
      out.clause.push(clause);
      start = -1;
    }
    if (isCjk(c)) {
      const unit = simplified[i]!;
      if (CONTRAST_FIRST.has(c) && isContrastAt(simplified, i)) out.contrastAt = out.units.length;
      out.units.push(unit);
      out.clause.push(clause);
    } else if (!isSpace(c) && i < simplified.length) clause++; // punctuation, emoji, symbols end a clause
  }
  return out;
}

/** Lexicon words by their first character, longest first, for a greedy longest match. */
const BY_FIRST = new Map<string, string[]>();
/** Words that contain a sentiment word but carry none (差不多, 出差, 不好意思): matched so they block it. */
const BLOCKERS = new Set([...ZH_NEUTRAL_WORDS, '出差', '差价', '好多', '还好吗', '不错过', '问题是']);
for (const word of [...ZH_SENTIMENT.keys(), ...BLOCKERS]) {
  if (!isCjk(word.charCodeAt(0))) continue;
  const list = BY_FIRST.get(word[0]!) ?? [];
  list.push(word);
  BY_FIRST.set(word[0]!, list);
}
for (const list of BY_FIRST.values()) list.sort((a, b) => b.length - a.length);

/** Adds the features of the text to `out` (units are character indexes) and returns its units. */
export function chineseFeatures(text: string, out: FeatureBuffer): ChineseUnits {
  const parsed = chineseUnits(text);
  const { units, clause, contrastAt } = parsed;
  let h1 = 0;
  let h2 = 0;
  for (let i = 0; i < units.length; i++) {
    const h = hashUnit(units[i]!);
    const weight = contrastAt < 0 ? 1 : i < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST;
    out.add(combineHash(h, SEED_UNIGRAM), weight, i, i);
    if (i > 0 && clause[i - 1] === clause[i]) {
      out.add(combineHash(combineHash(h1, h), SEED_BIGRAM), weight, i - 1, i);
      if (i > 1 && clause[i - 2] === clause[i])
        out.add(combineHash(combineHash(combineHash(h2, h1), h), SEED_TRIGRAM), weight, i - 2, i);
    }
    h2 = h1;
    h1 = h;
  }
  lexiconFeatures(parsed, out);
  return parsed;
}

function lexiconFeatures({ units, clause, contrastAt }: ChineseUnits, out: FeatureBuffer): void {
  for (let i = 0; i < units.length;) {
    const candidates = BY_FIRST.get(units[i]!);
    let matched = 0;
    if (candidates) {
      for (const word of candidates) {
        if (i + word.length > units.length || clause[i + word.length - 1] !== clause[i]) continue;
        let same = true;
        for (let k = 1; k < word.length && same; k++) same = units[i + k] === word[k];
        if (!same) continue;
        matched = word.length;
        const weight = BLOCKERS.has(word) ? 0 : ZH_SENTIMENT.get(word)!;
        const contrast = contrastAt < 0 ? 1 : i < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST;
        const negation = negatedAt(units, clause, i) ? NEGATED_WEIGHT : 1;
        if (weight !== 0) out.add(LEXICON_FEATURE, weight * LEXICON_SCALE * negation * contrast, i, i + matched - 1);
        break;
      }
    }
    i += matched || 1;
  }
}

/** A negator (不, 没, 没有, 不是...) in the two characters before position i, in its clause. */
function negatedAt(units: readonly string[], clause: readonly number[], i: number): boolean {
  const one = i >= 1 && clause[i - 1] === clause[i] ? units[i - 1]! : '';
  const two = i >= 2 && clause[i - 2] === clause[i] ? units[i - 2]! + one : '';
  return ZH_NEGATORS.has(one) || ZH_NEGATORS.has(two);
}
