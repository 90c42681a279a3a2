import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import type { MatchedTerm } from '../sentiment.types';
import {
  jiebaUserDict,
  toSimplified,
  ZH_CONTRAST,
  ZH_DEGREE,
  ZH_NEGATORS,
  ZH_SENTIMENT,
  ZH_WEAK_NEGATORS,
} from './chinese-lexicon';

let jieba: Jieba | null = null;

/** The segmenter, built once on first use (loading the dictionary takes ~150 ms). */
function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(jiebaUserDict(), 'utf8'));
  }
  return jieba;
}

const CLAUSE_BREAK = /^[\s,，。.!！?？;；:：~～、…]+$/;
const NEGATED_WEIGHT = 0.8; // "不好" is a bit weaker than "差"
const LOOKBACK = 3;

export interface RawScore {
  /** Sum of weighted term scores, AFINN scale. */
  sum: number;
  terms: MatchedTerm[];
}

/** Scores Chinese text: jieba segmentation, lexicon lookup, degree adverbs, negators, contrast. */
export function scoreChinese(text: string): RawScore {
  const tokens = segmenter().cut(toSimplified(text.toLowerCase()), false);
  const clauses: { weight: number; terms: MatchedTerm[] }[] = [{ weight: 1, terms: [] }];
  let clauseStart = 0;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (CLAUSE_BREAK.test(token)) {
      clauses.push({ weight: 1, terms: [] });
      clauseStart = i + 1;
      continue;
    }
    if (ZH_CONTRAST.has(token)) {
      // Before "但是" counts half, after it one and a half (as VADER does for "but").
      for (const clause of clauses) clause.weight *= 0.5;
      clauses.push({ weight: 1.5, terms: [] });
      clauseStart = i + 1;
      continue;
    }
    const base = ZH_SENTIMENT.get(token);
    if (base === undefined || base === 0) continue;
    const next = tokens[i + 1];
    if (ZH_DEGREE.has(token) && next !== undefined && ZH_SENTIMENT.has(next)) continue; // "好失望": 好 is an adverb

    let weight = base;
    for (let j = i - 1; j >= Math.max(clauseStart, i - LOOKBACK); j--) {
      const before = tokens[j]!;
      const degree = ZH_DEGREE.get(before);
      const weak = ZH_WEAK_NEGATORS.get(before);
      if (degree !== undefined) weight *= degree;
      else if (weak !== undefined) weight *= weak;
      else if (ZH_NEGATORS.has(before)) weight *= -NEGATED_WEIGHT;
      else if (ZH_SENTIMENT.has(before)) break; // the previous sentiment word owns what lies before it
    }
    clauses[clauses.length - 1]!.terms.push({ term: token, weight });
  }

  let sum = 0;
  const terms: MatchedTerm[] = [];
  for (const clause of clauses) {
    for (const term of clause.terms) {
      const weighted = round(term.weight * clause.weight);
      sum += weighted;
      terms.push({ term: term.term, weight: weighted });
    }
  }
  return { sum, terms };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
