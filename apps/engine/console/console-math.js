// Pure helpers of the console: no DOM, no imports, so the browser and the unit tests share them.
// Kept to top-level `export function` declarations (the test loader relies on it).

/**
 * The 80/20 (Pareto/Lorenz) curve: cumulative share of net revenue against the share of customers,
 * customers taken from the most valuable down. `revenues` may be only the top of the population
 * (sorted or not); `totalCustomers` and `totalRevenue` describe the whole population, so the curve is
 * exact for the customers given, then continues through `laterPoints` (e.g. the tier boundaries) to (1, 1).
 * Negative revenues count as 0. At most `maxPoints` points (evenly thinned, first and last kept).
 */
export function paretoCurve(revenues, totalCustomers, totalRevenue, laterPoints = [], maxPoints = 200) {
  const sorted = revenues.map((r) => Math.max(0, Number(r) || 0)).sort((a, b) => b - a);
  const customers = Math.max(totalCustomers, sorted.length);
  const total = totalRevenue > 0 ? totalRevenue : sorted.reduce((s, r) => s + r, 0);
  if (customers === 0 || total <= 0) return [{ customerShare: 0, revenueShare: 0 }, { customerShare: 1, revenueShare: 1 }];
  const points = [{ customerShare: 0, revenueShare: 0 }];
  let cumulative = 0;
  sorted.forEach((revenue, i) => {
    cumulative += revenue;
    points.push({ customerShare: (i + 1) / customers, revenueShare: Math.min(1, cumulative / total) });
  });
  // Thin the exact head only: the later points are few and each one shapes the tail.
  const curve = thin(points, maxPoints);
  for (const p of laterPoints) {
    const last = curve[curve.length - 1];
    if (p.customerShare > last.customerShare && p.revenueShare >= last.revenueShare) curve.push({ customerShare: p.customerShare, revenueShare: Math.min(1, p.revenueShare) });
  }
  if (curve[curve.length - 1].customerShare < 1) curve.push({ customerShare: 1, revenueShare: 1 });
  return curve;
}

/** Keeps at most `max` points of a series, evenly spread, always the first and the last. */
export function thin(points, max) {
  if (points.length <= max || max < 2) return points;
  const out = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i += 1) out.push(points[Math.round(i * step)]);
  return out;
}

/** Share of customers (0..1) needed to reach `revenueShare` on a Pareto curve, linearly interpolated. */
export function customerShareFor(curve, revenueShare) {
  for (let i = 1; i < curve.length; i += 1) {
    const a = curve[i - 1];
    const b = curve[i];
    if (b.revenueShare >= revenueShare) {
      const span = b.revenueShare - a.revenueShare;
      return span <= 0 ? b.customerShare : a.customerShare + ((revenueShare - a.revenueShare) / span) * (b.customerShare - a.customerShare);
    }
  }
  return 1;
}

/**
 * Totals per tier from the segments summary (`byStageTier[stage][tier] = { customers, netRevenue }`),
 * and the Pareto points at the end of tier A and of tier B.
 */
export function tierTotals(byStageTier) {
  const tiers = { A: { customers: 0, netRevenue: 0 }, B: { customers: 0, netRevenue: 0 }, C: { customers: 0, netRevenue: 0 } };
  for (const row of Object.values(byStageTier ?? {})) {
    for (const tier of ['A', 'B', 'C']) {
      const cell = row?.[tier];
      if (!cell) continue;
      tiers[tier].customers += cell.customers ?? 0;
      tiers[tier].netRevenue += cell.netRevenue ?? 0;
    }
  }
  const customers = tiers.A.customers + tiers.B.customers + tiers.C.customers;
  const revenue = Math.max(0, tiers.A.netRevenue) + Math.max(0, tiers.B.netRevenue) + Math.max(0, tiers.C.netRevenue);
  const boundaries =
    customers > 0 && revenue > 0
      ? [
          { customerShare: tiers.A.customers / customers, revenueShare: Math.max(0, tiers.A.netRevenue) / revenue },
          { customerShare: (tiers.A.customers + tiers.B.customers) / customers, revenueShare: (Math.max(0, tiers.A.netRevenue) + Math.max(0, tiers.B.netRevenue)) / revenue },
        ]
      : [];
  return { tiers, customers, revenue, boundaries };
}

/** Customers per lifecycle stage, in the order given, from `byStageTier`. */
export function stageCounts(byStageTier, stages) {
  return stages.map((stage) => {
    const row = byStageTier?.[stage] ?? {};
    return Object.values(row).reduce((sum, cell) => sum + (cell?.customers ?? 0), 0);
  });
}

/** Trailing rolling mean over `window` moments (the projection's definition): one value per moment. */
export function rollingMeans(scores, window = 5) {
  const out = [];
  let sum = 0;
  scores.forEach((score, i) => {
    sum += score;
    if (i >= window) sum -= scores[i - window];
    out.push(Math.round((sum / Math.min(i + 1, window)) * 1000) / 1000);
  });
  return out;
}

/**
 * The peak-end reading of a timeline: the peak is the most intense moment (largest |score|, the later
 * one on ties), the end the latest, and the peak-end score their mean. Moments need `at` and `score`.
 */
export function peakEnd(moments) {
  if (moments.length === 0) return { peak: null, end: null, peakEnd: null };
  const ordered = [...moments].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  let peak = ordered[0];
  for (const m of ordered) if (Math.abs(m.score) >= Math.abs(peak.score)) peak = m;
  const end = ordered[ordered.length - 1];
  return { peak, end, peakEnd: Math.round(((peak.score + end.score) / 2) * 1000) / 1000 };
}

/** Time in each lifecycle stage from its transitions (oldest first) up to `now`: [{ stage, from, to, days }]. */
export function stageSpans(transitions, now) {
  const ordered = [...transitions].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return ordered.map((t, i) => {
    const from = t.at;
    const to = i + 1 < ordered.length ? ordered[i + 1].at : now;
    return { stage: t.to, from, to, days: Math.max(0, (Date.parse(to) - Date.parse(from)) / 86_400_000) };
  });
}

/** Colour of a heat-table cell: white at 0 to the accent at the maximum (share 0..1). */
export function heatColour(value, max) {
  const share = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
  const mix = (from, to) => Math.round(from + (to - from) * share);
  return `rgb(${mix(247, 37)}, ${mix(249, 99)}, ${mix(252, 235)})`;
}

/** Query-string of the non-empty values of an object (arrays joined by commas), keys in order. */
export function queryString(params) {
  const parts = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(Array.isArray(value) ? value.join(',') : String(value))}`);
  }
  return parts.join('&');
}
