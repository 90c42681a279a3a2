/** [low, high]. */
export type Interval = [number, number];

export const logit = (p: number): number => Math.log(p) - Math.log1p(-p);
export const logistic = (v: number): number => 1 / (1 + Math.exp(-v));

/** centre ± z·sd on a transformed scale, mapped back by `back`. */
export function transformed(centre: number, variance: number, z: number, back: (v: number) => number): Interval {
  const sd = Math.sqrt(Math.max(0, variance));
  return [back(centre - z * sd), back(centre + z * sd)];
}

/** Normal on ln(value): [value · e^(−z·sd), value · e^(z·sd)]; a non-positive value has no spread. */
export function logNormalInterval(value: number, logVariance: number, z: number): Interval {
  if (!(value > 0)) return [value, value];
  return transformed(Math.log(value), logVariance, z, Math.exp);
}
