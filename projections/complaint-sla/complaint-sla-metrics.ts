import { quantile } from '../service-kpi/kpi-aggregate';
import { businessTimeBetween } from './business-calendar';
import { firstResponseAt, pausesOf } from './complaint-sla-deadlines';
import type { ComplaintSlaPolicy, SlaStep } from './complaint-sla-policy';
import type { ComplaintSlaDoc, ComplaintSlaEntry } from './complaint-sla.projection';
import type { ComplaintSlaItem, ComplaintSlaSummary } from './complaint-sla.query';
import { resolveSlaPolicy } from './sla-policy-rules';

export interface SlaStepMetric {
  /** Business hours of the policy's calendar, net of waits for the customer. */
  medianHours: number | null;
  p90Hours: number | null;
  count: number;
  breaches: number;
}

export interface ComplaintSlaMetrics {
  firstReply: SlaStepMetric;
  nextReply: SlaStepMetric;
  resolution: SlaStepMetric;
}

export /** Collects business-hour durations per step, and the breaches counted alike. */
class StepMetrics {
  private readonly hours: Record<SlaStep, number[]> = { acknowledgement: [], nextReply: [], resolution: [] };
  constructor(private readonly summary: ComplaintSlaSummary) {}

  add(doc: ComplaintSlaDoc, c: ComplaintSlaEntry, item: ComplaintSlaItem, policy: ComplaintSlaPolicy): void {
    const p = resolveSlaPolicy(policy, c, doc.region ?? null);
    const pauses = pausesOf(c);
    const h = (from: string, to: string): number =>
      businessTimeBetween(p.calendar, Date.parse(from), Date.parse(to), pauses) / 3_600_000;
    const first = firstResponseAt(c);
    if (first !== null) this.hours.acknowledgement.push(h(c.filedAt, first));
    for (const e of c.exchanges ?? [])
      if (e.repliedAt !== null) this.hours.nextReply.push(h(e.answeredAt, e.repliedAt));
    if (c.status === 'resolved' && c.resolvedAt !== null)
      this.hours.resolution.push(h(c.reopenedAt ?? c.filedAt, c.resolvedAt));
    for (const b of c.breaches) this.summary.breaches[b.sla] += 1;
    for (const step of ['acknowledgement', 'nextReply', 'resolution'] as const) {
      const at = item[step];
      // Done late with no breach on record for it: a breach all the same.
      if (at?.status === 'late' && at.breachRecordedAt === null) {
        this.summary.breaches[step] += 1;
        this.summary.late[step] += 1;
      }
    }
  }

  metrics(): ComplaintSlaMetrics {
    const of = (step: SlaStep): SlaStepMetric => {
      const sorted = this.hours[step].slice().sort((a, b) => a - b);
      const r = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
      return {
        medianHours: r(quantile(sorted, 0.5)),
        p90Hours: r(quantile(sorted, 0.9)),
        count: sorted.length,
        breaches: this.summary.breaches[step],
      };
    };
    return { firstReply: of('acknowledgement'), nextReply: of('nextReply'), resolution: of('resolution') };
  }
}
