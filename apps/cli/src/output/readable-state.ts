/**
 * The decider state for people and scripts: the domain keeps its dictionaries as 64 hash buckets
 * (cheap persistent updates); here each becomes one plain object keyed by id.
 */
export function readableState(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length === 64 && value.every((b) => b === null || (typeof b === 'object' && !Array.isArray(b)))) {
      const merged: Record<string, unknown> = {};
      for (const bucket of value as (Record<string, unknown> | null)[])
        if (bucket) for (const [k, v] of Object.entries(bucket)) merged[k] = readableState(v);
      return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
    }
    return value.map(readableState);
  }
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readableState(v)]));
  return value;
}
