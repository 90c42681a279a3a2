import type { RfmSegment } from './analytics-customer';

/**
 * Quintile scores 1-5 of `values`, aligned with them. A value's score is floor(5 × (r + ½) / n) + 1
 * where r is the 0-based rank of the first value equal to it in ascending order of goodness (the
 * midpoint keeps small populations symmetric: the best of four scores 5, the worst 1). Equal values
 * always share a score, whatever the order of the input.
 */
export function quintileScores(values: ArrayLike<number>, higherIsBetter: boolean): Uint8Array {
  const n = values.length;
  const scores = new Uint8Array(n);
  if (n === 0) return scores;
  const key = new Float64Array(n);
  for (let i = 0; i < n; i += 1) key[i] = higherIsBetter ? (values[i] as number) : -(values[i] as number);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) order[i] = i;
  order.sort((a, b) => (key[a] as number) - (key[b] as number));
  let firstRankOfValue = 0;
  for (let rank = 0; rank < n; rank += 1) {
    const index = order[rank] as number;
    if (rank > 0 && key[index] !== key[order[rank - 1] as number]) firstRankOfValue = rank;
    scores[index] = Math.min(5, Math.floor((5 * (firstRankOfValue + 0.5)) / n) + 1);
  }
  return scores;
}

/** FM: the mean of F and M rounded half up, the customary second axis of the segment grid. */
export const fmScore = (f: number, m: number): number => Math.floor((f + m) / 2 + 0.5);

/**
 * The usual RFM segment grid on R (rows) × FM (columns):
 *
 * | R \ FM | 1 | 2 | 3 | 4 | 5 |
 * |---|---|---|---|---|---|
 * | 5 | New | Potential Loyalist | Potential Loyalist | Champions | Champions |
 * | 4 | Promising | Potential Loyalist | Potential Loyalist | Loyal | Loyal |
 * | 3 | About to Sleep | About to Sleep | Need Attention | Loyal | Loyal |
 * | 2 | Hibernating | Hibernating | At Risk | At Risk | Can't Lose Them |
 * | 1 | Lost | Hibernating | At Risk | At Risk | Can't Lose Them |
 */
export function rfmSegment(r: number, f: number, m: number): RfmSegment {
  const fm = fmScore(f, m);
  if (r >= 5) return fm >= 4 ? 'Champions' : fm >= 2 ? 'Potential Loyalist' : 'New';
  if (r === 4) return fm >= 4 ? 'Loyal' : fm >= 2 ? 'Potential Loyalist' : 'Promising';
  if (r === 3) return fm >= 4 ? 'Loyal' : fm === 3 ? 'Need Attention' : 'About to Sleep';
  if (fm >= 5) return "Can't Lose Them";
  if (fm >= 3) return 'At Risk';
  return r === 1 && fm === 1 ? 'Lost' : 'Hibernating';
}
