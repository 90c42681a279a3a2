import { isoMs } from '../customer-value/iso-time';
import type { KpiFact, KpiFactKind, ServiceKpiDoc } from './service-kpi.projection';

// The KPI facts of every customer in columns (typed arrays, strings interned): what the KPI, driver and
// cohort queries scan, so a dashboard over a million events reads numbers, not JSON documents.

export const FACT_KINDS: readonly KpiFactKind[] = [
  'registered',
  'profile',
  'erased',
  'call',
  'purchase',
  'refund',
  'survey',
  'complaintFiled',
  'complaintAcknowledged',
  'complaintResolved',
  'complaintReopened',
  'complaintBreached',
  'promiseMade',
  'promiseKept',
  'promiseRenegotiated',
  'promiseBroken',
  'promiseCancelled',
  'promiseOverdue',
  'complaintAwaiting',
];
export const K = Object.fromEntries(FACT_KINDS.map((k, i) => [k, i])) as Record<KpiFactKind, number>;

/** Dimension values (regions, channels, agents, kinds) as small integers; -1 is "none". */
export class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  id(value: string | null | undefined): number {
    if (value === null || value === undefined) return -1;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
  name(id: number): string | null {
    return id < 0 ? null : (this.values[id] ?? null);
  }
}

export interface KpiFactTable {
  customerIds: string[];
  /** Facts of customer i are rows start[i] .. start[i+1]-1, in stream order. */
  start: Int32Array;
  kind: Uint8Array;
  at: Float64Array;
  rec: Float64Array;
  channel: Int32Array;
  /** Id of the thing the fact is about (order, complaint, promise) within its customer; for a registration the interned acquisition channel; -1 when none. */
  ref: Int32Array;
  /** Score, amount or due time (ms); NaN when none. */
  num: Float64Array;
  /** Interned: region, agent, survey kind, severity or SLA step, per kind. */
  a: Int32Array;
  /** Interned: city, category or acquisition channel, per kind. */
  b: Int32Array;
  strings: Interner;
  /** The latest business and recording times of any fact: an as-of at or after both sees everything. */
  maxAt: number;
  maxRec: number;
}

/** Builds the table from the documents (any order of customers; each document's facts in stream order). */
export function buildKpiFactTable(docs: Iterable<ServiceKpiDoc>): KpiFactTable {
  const list = [...docs].sort((x, y) => (x.customerId < y.customerId ? -1 : x.customerId > y.customerId ? 1 : 0));
  const builder = new KpiFactTableBuilder();
  for (const doc of list) builder.add(doc);
  return builder.finish();
}

/**
 * Fills the table one document at a time, so that a store's documents are read without being held:
 * the columns grow by doubling and are cut to size at the end.
 */
export class KpiFactTableBuilder {
  private readonly t: KpiFactTable = {
    customerIds: [],
    start: new Int32Array(1024),
    kind: new Uint8Array(0),
    at: new Float64Array(0),
    rec: new Float64Array(0),
    channel: new Int32Array(0),
    ref: new Int32Array(0),
    num: new Float64Array(0),
    a: new Int32Array(0),
    b: new Int32Array(0),
    strings: new Interner(),
    maxAt: Number.NEGATIVE_INFINITY,
    maxRec: Number.NEGATIVE_INFINITY,
  };
  private rows = 0;
  private readonly local = new Map<string, number>();

  /** `strings`: the interner of a table being refreshed, so its ids stay valid in the new one. */
  constructor(capacity = 1024, strings?: Interner) {
    if (strings !== undefined) this.t.strings = strings;
    this.grow(capacity);
  }

  /** Adds one customer's document; customers must come in the order the table should keep. */
  add(doc: ServiceKpiDoc): void {
    const t = this.t;
    this.open(doc.customerId, doc.facts.length);
    this.local.clear();
    for (const fact of doc.facts) put(t, this.rows++, fact, this.local);
  }

  /** Copies customer `c` of `from` (a table with the same interner) unchanged. */
  copy(from: KpiFactTable, c: number): void {
    const a = from.start[c]!;
    const b = from.start[c + 1]!;
    const t = this.t;
    this.open(from.customerIds[c]!, b - a);
    const at = this.rows;
    t.kind.set(from.kind.subarray(a, b), at);
    t.at.set(from.at.subarray(a, b), at);
    t.rec.set(from.rec.subarray(a, b), at);
    t.channel.set(from.channel.subarray(a, b), at);
    t.ref.set(from.ref.subarray(a, b), at);
    t.num.set(from.num.subarray(a, b), at);
    t.a.set(from.a.subarray(a, b), at);
    t.b.set(from.b.subarray(a, b), at);
    for (let r = a; r < b; r++) {
      if (from.at[r]! > t.maxAt) t.maxAt = from.at[r]!;
      if (from.rec[r]! > t.maxRec) t.maxRec = from.rec[r]!;
    }
    this.rows += b - a;
  }

  private open(customerId: string, rows: number): void {
    const t = this.t;
    const c = t.customerIds.length;
    if (c + 1 >= t.start.length) {
      const start = new Int32Array(t.start.length * 2);
      start.set(t.start);
      t.start = start;
    }
    t.customerIds.push(customerId);
    t.start[c] = this.rows;
    if (this.rows + rows > t.kind.length) this.grow(Math.max(t.kind.length * 2, this.rows + rows));
  }

  finish(): KpiFactTable {
    const t = this.t;
    const n = this.rows;
    t.start = t.start.slice(0, t.customerIds.length + 1);
    t.start[t.customerIds.length] = n;
    t.kind = t.kind.slice(0, n);
    t.at = t.at.slice(0, n);
    t.rec = t.rec.slice(0, n);
    t.channel = t.channel.slice(0, n);
    t.ref = t.ref.slice(0, n);
    t.num = t.num.slice(0, n);
    t.a = t.a.slice(0, n);
    t.b = t.b.slice(0, n);
    return t;
  }

  private grow(capacity: number): void {
    const t = this.t;
    const widen = <A extends Uint8Array | Int32Array | Float64Array>(
      old: A,
      make: (n: number) => A,
      fill?: number,
    ): A => {
      const next = make(capacity);
      if (fill !== undefined) next.fill(fill);
      next.set(old);
      return next;
    };
    t.kind = widen(t.kind, (n) => new Uint8Array(n));
    t.at = widen(t.at, (n) => new Float64Array(n));
    t.rec = widen(t.rec, (n) => new Float64Array(n));
    t.channel = widen(t.channel, (n) => new Int32Array(n));
    t.ref = widen(t.ref, (n) => new Int32Array(n), -1);
    t.num = widen(t.num, (n) => new Float64Array(n), Number.NaN);
    t.a = widen(t.a, (n) => new Int32Array(n), -1);
    t.b = widen(t.b, (n) => new Int32Array(n), -1);
  }
}

/** Ids of orders, complaints and promises are numbered within their customer: only matched there. */
function refId(local: Map<string, number>, id: string): number {
  let n = local.get(id);
  if (n === undefined) local.set(id, (n = local.size));
  return n;
}

function put(t: KpiFactTable, row: number, fact: KpiFact, local: Map<string, number>): void {
  const s = t.strings;
  t.kind[row] = K[fact[0]];
  const at = isoMs(fact[1]);
  const rec = isoMs(fact[2]);
  t.at[row] = at;
  t.rec[row] = rec;
  if (at > t.maxAt) t.maxAt = at;
  if (rec > t.maxRec) t.maxRec = rec;
  t.channel[row] = s.id(fact[3]);
  switch (fact[0]) {
    case 'registered':
      t.a[row] = s.id(fact[4]);
      t.b[row] = s.id(fact[5]);
      t.ref[row] = s.id(fact[6]);
      return;
    case 'profile':
      t.a[row] = s.id(fact[4]);
      t.b[row] = s.id(fact[5]);
      return;
    case 'erased':
      return;
    case 'call':
      t.a[row] = s.id(fact[4]);
      return;
    case 'purchase':
    case 'refund':
      t.ref[row] = refId(local, fact[4]);
      t.num[row] = fact[5];
      return;
    case 'survey':
      t.a[row] = s.id(fact[4]);
      t.num[row] = fact[5] ?? Number.NaN;
      return;
    case 'complaintFiled':
      t.ref[row] = refId(local, fact[4]);
      t.a[row] = s.id(fact[5]);
      t.b[row] = s.id(fact[6]);
      return;
    case 'complaintAcknowledged':
    case 'complaintResolved':
    case 'complaintBreached':
    case 'complaintAwaiting':
      t.ref[row] = refId(local, fact[4]);
      t.a[row] = s.id(fact[5]);
      return;
    case 'complaintReopened':
    case 'promiseBroken':
    case 'promiseCancelled':
    case 'promiseOverdue':
      t.ref[row] = refId(local, fact[4]);
      return;
    case 'promiseMade':
      t.ref[row] = refId(local, fact[4]);
      t.num[row] = isoMs(fact[5]);
      t.a[row] = s.id(fact[6]);
      return;
    case 'promiseKept':
      t.ref[row] = refId(local, fact[4]);
      t.a[row] = s.id(fact[5]);
      return;
    case 'promiseRenegotiated':
      t.ref[row] = refId(local, fact[4]);
      t.num[row] = isoMs(fact[5]);
      return;
    default: {
      const exhaustive: never = fact;
      throw new Error(`unknown KPI fact ${String(exhaustive)}`);
    }
  }
}
