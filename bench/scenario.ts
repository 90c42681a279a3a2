/** One figure of `npm run bench`, measured beside a baseline taken in the same run. */
export interface ScenarioResult {
  value: number;
  /** `per_second` for rates, `ms` for times and latencies, `MB` for memory. */
  unit: 'per_second' | 'ms' | 'MB';
  baseline: number;
  /** What the baseline is, e.g. "raw better-sqlite3 one-row transactions per second". */
  baselineLabel: string;
  /** Target in the issue, for the printout (e.g. ">= 0.7 of baseline", "< 20 ms"). */
  target?: string;
  /** Anything else worth printing (peak memory, p50, counts). */
  extra?: Record<string, number | string>;
}

export interface Scenario {
  /** Dotted name, e.g. `append.sequential`; `npm run bench -- append` runs every name starting with it. */
  name: string;
  run(workDir: string): Promise<ScenarioResult>;
}

/** value / baseline for rates, baseline / value for times: higher is always better. */
export function ratioOf(result: Pick<ScenarioResult, 'value' | 'unit' | 'baseline'>): number {
  if (result.baseline === 0 || result.value === 0) return 0;
  return result.unit === 'per_second' ? result.value / result.baseline : result.baseline / result.value;
}
