// What a stage history needs of a customer's facts, kept in columns: a scoring run holds one for every
// customer between reading the population and scoring it, so it costs 17 bytes a fact, not an object.
import { DAY_MS } from '@rapport/domain';
import type { AsOf } from '@rapport/projections/customer-value/customer-value-as-of';
import type { CustomerValueDoc } from '@rapport/projections/customer-value/customer-value.projection';
import { isoMs } from '@rapport/projections/customer-value/iso-time';

/** Money facts (purchases and refunds) of one or many customers, in columns. */
export class MoneyColumns {
  ms: Float64Array;
  /** Net revenue of the fact's day changes by this much (refunds negative). */
  amount: Float64Array;
  /** 1 for a purchase, 0 for a refund. */
  purchase: Uint8Array;
  length = 0;

  constructor(capacity = 16) {
    this.ms = new Float64Array(capacity);
    this.amount = new Float64Array(capacity);
    this.purchase = new Uint8Array(capacity);
  }

  push(ms: number, amount: number, purchase: boolean): void {
    if (this.length === this.ms.length) this.grow();
    this.ms[this.length] = ms;
    this.amount[this.length] = amount;
    this.purchase[this.length] = purchase ? 1 : 0;
    this.length += 1;
  }

  /** Drops facts from `length` on (a customer whose timeline turned out empty). */
  truncate(length: number): void {
    this.length = length;
  }

  /** Sorts [from, to) by time, stably (stream order within one moment): rare, for backdated facts. */
  sortRange(from: number, to: number): void {
    const order = Array.from({ length: to - from }, (_, i) => from + i).sort(
      (i, j) => (this.ms[i] as number) - (this.ms[j] as number) || i - j,
    );
    const ms = order.map((i) => this.ms[i] as number);
    const amount = order.map((i) => this.amount[i] as number);
    const purchase = order.map((i) => this.purchase[i] as number);
    this.ms.set(ms, from);
    this.amount.set(amount, from);
    this.purchase.set(purchase, from);
  }

  private grow(): void {
    const capacity = Math.max(16, this.ms.length * 2);
    const ms = new Float64Array(capacity);
    const amount = new Float64Array(capacity);
    const purchase = new Uint8Array(capacity);
    ms.set(this.ms);
    amount.set(this.amount);
    purchase.set(this.purchase);
    Object.assign(this, { ms, amount, purchase });
  }
}

/**
 * A customer's timeline as of a time: when its first fact occurred, and its money facts in business-time
 * order, the range [from, to) of `money`.
 */
export interface StageTimeline {
  startMs: number;
  money: MoneyColumns;
  from: number;
  to: number;
}

/**
 * Appends the money facts of `doc` that had occurred by `until.asOfMs` (and been recorded by
 * `until.knownAtMs`) to `money`, in business-time order; null (and nothing appended) when no fact of the
 * customer had occurred by then.
 */
export function stageTimeline(
  doc: CustomerValueDoc,
  until: AsOf,
  money: MoneyColumns = new MoneyColumns(doc.facts.length),
): StageTimeline | null {
  const { asOfMs, knownAtMs } = until;
  const from = money.length;
  let startMs = Number.POSITIVE_INFINITY;
  let ordered = true;
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const fact of doc.facts) {
    const ms = isoMs(fact[1]);
    if (!(ms <= asOfMs) || (knownAtMs !== undefined && !((fact[2] === fact[1] ? ms : isoMs(fact[2])) <= knownAtMs)))
      continue;
    if (ms < startMs) startMs = ms;
    if (fact[0] !== 'purchase' && fact[0] !== 'refund') continue;
    if (ms < lastMs) ordered = false;
    lastMs = ms;
    money.push(ms, fact[0] === 'purchase' ? fact[3] : -fact[3], fact[0] === 'purchase');
  }
  if (startMs === Number.POSITIVE_INFINITY) {
    money.truncate(from);
    return null;
  }
  if (!ordered) money.sortRange(from, money.length);
  return { startMs, money, from, to: money.length };
}

/** The distinct purchase days (UTC epoch days, ascending) of a timeline: its money is in time order. */
export function timelinePurchaseDays({ money, from, to }: StageTimeline): number[] {
  const days: number[] = [];
  for (let i = from; i < to; i += 1) {
    if (money.purchase[i] !== 1) continue;
    const day = Math.floor((money.ms[i] as number) / DAY_MS);
    if (days[days.length - 1] !== day) days.push(day);
  }
  return days;
}
