import type { HealthBand } from '@rapport/domain';
import { DEFAULT_HEALTH_CONFIG, type HealthConfig } from './health-config';
import { customerHealthAt, type CustomerHealth, type HealthInputs } from './customer-health-at';

const MINUTE = 60_000;

/** A band change to record: the band the customer is in at `nowMs`, dated at the moment it entered it. */
export interface BandChange {
  customerId: string;
  from: HealthBand | null;
  to: HealthBand;
  /** Business time the band changed (epoch ms), after `since` and no later than now. */
  changedAtMs: number;
  /** The health at that moment: its score and reasons go into the event. */
  health: CustomerHealth;
}

/**
 * The change to record when a customer's band at `nowMs` differs from the one last recorded (`current`,
 * none before the first, which counts as healthy): dated at the earliest moment after the last recorded change from which the
 * customer has been in the new band. Between two facts the score moves only with time (recency, due
 * dates, the lookback), so the moment is found to the minute by halving the last stretch that ends in
 * the new band; when a fact itself moved the band, it is that fact's business time. Null when the band
 * has not changed (or the customer has no health then).
 */
export function bandChangeAt(
  inputs: HealthInputs,
  current: { band: HealthBand; atMs: number } | null,
  nowMs: number,
  config: HealthConfig = DEFAULT_HEALTH_CONFIG,
): BandChange | null {
  const bandAt = (t: number) => customerHealthAt(inputs, t, nowMs, config);
  const now = bandAt(nowMs);
  // Without a recorded band a customer counts as healthy: the first change recorded is leaving it.
  if (now === null || now.band === (current?.band ?? 'healthy')) return null;
  const first = inputs.health.facts.find((f) => f.k === 'registered' && f.r <= nowMs);
  const floor = Math.max(current ? current.atMs + 1 : Number.NEGATIVE_INFINITY, first ? first.t : nowMs);
  // Walk back over the fact times until the band differs from the new one: the change lies after it.
  const times = [
    ...new Set(inputs.health.facts.filter((f) => f.t > floor && f.t <= nowMs && f.r <= nowMs).map((f) => f.t)),
  ].sort((a, b) => b - a);
  let upper = nowMs;
  let lower = floor;
  for (const t of times) {
    if (bandAt(t)?.band !== now.band) {
      lower = t;
      break;
    }
    upper = t;
    if (bandAt(t - 1)?.band !== now.band) return change(t);
  }
  if (lower === floor && bandAt(floor)?.band === now.band) return change(floor);
  // In (lower, upper] only time moves the score: the earliest minute in the new band.
  while (upper - lower > MINUTE) {
    const mid = Math.floor((lower + upper) / 2);
    if (bandAt(mid)?.band === now.band) upper = mid;
    else lower = mid;
  }
  return change(upper);

  function change(t: number): BandChange {
    const health = bandAt(t) ?? now!;
    return { customerId: inputs.health.customerId, from: current?.band ?? null, to: now!.band, changedAtMs: t, health };
  }
}
