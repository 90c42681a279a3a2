import { K, type KpiFactTable } from './kpi-fact-table';

const HOUR = 3_600_000;

export const SURVEY_NPS = 0;
export const SURVEY_CSAT = 1;
export const SURVEY_CES = 2;

/** Kinds of driver events: what may precede a survey answer. */
export const DRIVERS = ['brokenPromise', 'slaBreach', 'complaint'] as const;
export type Driver = (typeof DRIVERS)[number];

/** Columns of one record list; every list has time, customer, channel and agent (-1: none). */
export interface Cols {
  t: number[];
  cust: number[];
  channel: number[];
  agent: number[];
}
const cols = (): Cols => ({ t: [], cust: [], channel: [], agent: [] });
const push = (c: Cols, t: number, cust: number, channel: number, agent: number): void => {
  c.t.push(t);
  c.cust.push(cust);
  c.channel.push(channel);
  c.agent.push(agent);
};

/**
 * What the KPIs count, derived from the facts that had occurred by `asOfMs` and been recorded by
 * `knownAtMs`, each folded in stream order. Customer attributes are those as of then.
 */
export interface KpiRecords {
  asOfMs: number;
  knownAtMs: number;
  /** Per customer (table index): region, city, acquisition channel, latest agent; -1 when none. */
  region: Int32Array;
  city: Int32Array;
  acquisition: Int32Array;
  agent: Int32Array;
  /** Survey answers with a score: `kind` SURVEY_NPS / CSAT / CES. */
  surveys: Cols & { kind: number[]; score: number[] };
  /** First responses (acknowledgement or resolution) at `t`, `hours` after filing; agent is the responder. */
  firstResponse: Cols & { hours: number[] };
  /** First resolutions at `t`, `hours` after filing. */
  resolution: Cols & { hours: number[] };
  /** Promises due by as-of (not cancelled), at their (renegotiated) due time; `kept` on time or not. */
  promises: Cols & { kept: number[] };
  /** Purchases, customer by customer and in time order within one; `amount` is the order total. */
  purchases: Cols & { amount: number[] };
  /** Refunds, with the time they occurred. */
  refunds: { t: number[]; cust: number[]; amount: number[] };
  /** Driver events, customer by customer and in time order: `driver` indexes DRIVERS. */
  drivers: { t: number[]; cust: number[]; driver: number[] };
}

interface OpenComplaint {
  filedAt: number;
  channel: number;
  responded: boolean;
  resolved: boolean;
  open: boolean;
}
interface OpenPromise {
  due: number;
  channel: number;
  madeBy: number;
  state: 'open' | 'kept' | 'broken' | 'cancelled';
  keptAt: number;
}

/** One customer's fold: its complaints and promises by reference, purchases and drivers, latest agent. */
interface CustomerFold {
  c: number;
  agent: number;
  complaints: Map<number, OpenComplaint>;
  promises: Map<number, OpenPromise>;
  buys: Array<[number, number, number]>;
  drivers: Array<[number, number]>;
}

/** One fact row being folded: the table, its row, its time, channel and reference. */
interface Row {
  t: KpiFactTable;
  row: number;
  at: number;
  ch: number;
  ref: number;
}

type SurveyKindIds = { nps: number; csat: number; ces: number };

function emptyRecords(n: number, asOfMs: number, knownAtMs: number): KpiRecords {
  return {
    asOfMs,
    knownAtMs,
    region: new Int32Array(n).fill(-1),
    city: new Int32Array(n).fill(-1),
    acquisition: new Int32Array(n).fill(-1),
    agent: new Int32Array(n).fill(-1),
    surveys: { ...cols(), kind: [], score: [] },
    firstResponse: { ...cols(), hours: [] },
    resolution: { ...cols(), hours: [] },
    promises: { ...cols(), kept: [] },
    purchases: { ...cols(), amount: [] },
    refunds: { t: [], cust: [], amount: [] },
    drivers: { t: [], cust: [], driver: [] },
  };
}

function surveyAnswered(r: KpiRecords, f: CustomerFold, { t, row, at, ch }: Row, kindId: SurveyKindIds): void {
  const kind = t.a[row]!;
  const score = t.num[row]!;
  const k =
    kind === kindId.nps ? SURVEY_NPS : kind === kindId.csat ? SURVEY_CSAT : kind === kindId.ces ? SURVEY_CES : -1;
  if (k < 0 || Number.isNaN(score)) return;
  push(r.surveys, at, f.c, ch, f.agent);
  r.surveys.kind.push(k);
  r.surveys.score.push(score);
}

/** An acknowledgement, a wait for the customer or a resolution: the first response, the first resolution. */
function complaintAnswered(r: KpiRecords, f: CustomerFold, { t, row, at, ref }: Row): void {
  const k = f.complaints.get(ref);
  if (k === undefined || !k.open) return;
  f.agent = t.a[row]!;
  if (!k.responded) {
    k.responded = true;
    push(r.firstResponse, at, f.c, k.channel, f.agent);
    r.firstResponse.hours.push((at - k.filedAt) / HOUR);
  }
  if (t.kind[row] !== K.complaintResolved) return;
  k.open = false;
  if (!k.resolved) {
    k.resolved = true;
    push(r.resolution, at, f.c, k.channel, f.agent);
    r.resolution.hours.push((at - k.filedAt) / HOUR);
  }
}

/** A complaint row; false when the row is of another kind. */
function complaintRow(r: KpiRecords, f: CustomerFold, x: Row): boolean {
  switch (x.t.kind[x.row]) {
    case K.complaintFiled:
      if (!f.complaints.has(x.ref))
        f.complaints.set(x.ref, { filedAt: x.at, channel: x.ch, responded: false, resolved: false, open: true });
      f.drivers.push([x.at, 2]);
      return true;
    case K.complaintAcknowledged:
    case K.complaintAwaiting:
    case K.complaintResolved:
      complaintAnswered(r, f, x);
      return true;
    case K.complaintReopened: {
      const k = f.complaints.get(x.ref);
      if (k !== undefined) k.open = true;
      return true;
    }
    case K.complaintBreached:
      f.drivers.push([x.at, 1]);
      return true;
    default:
      return false;
  }
}

/** A promise row; false when the row is of another kind. */
function promiseRow(f: CustomerFold, { t, row, at, ch, ref }: Row): boolean {
  const kind = t.kind[row];
  if (kind === K.promiseMade) {
    if (!f.promises.has(ref))
      f.promises.set(ref, { due: t.num[row]!, channel: ch, madeBy: t.a[row]!, state: 'open', keptAt: Number.NaN });
    f.agent = t.a[row]!;
    return true;
  }
  if (kind === K.promiseOverdue) {
    f.drivers.push([at, 0]);
    return true;
  }
  if (
    kind !== K.promiseKept &&
    kind !== K.promiseRenegotiated &&
    kind !== K.promiseBroken &&
    kind !== K.promiseCancelled
  )
    return false;
  const p = f.promises.get(ref);
  const open = p?.state === 'open';
  if (kind === K.promiseKept) {
    if (open) {
      p.state = 'kept';
      p.keptAt = at;
    }
    f.agent = t.a[row]!;
  } else if (kind === K.promiseRenegotiated) {
    if (open) p.due = t.num[row]!;
  } else if (kind === K.promiseBroken) {
    if (open) p.state = 'broken';
    f.drivers.push([at, 0]);
  } else if (open) p.state = 'cancelled';
  return true;
}

/** A customer's own row (registration, profile, call, purchase, refund, survey); others are not counted. */
function customerRow(r: KpiRecords, f: CustomerFold, x: Row, kindId: SurveyKindIds): void {
  const { t, row } = x;
  const c = f.c;
  switch (t.kind[row]) {
    case K.registered:
      r.region[c] = t.a[row]!;
      r.city[c] = t.b[row]!;
      r.acquisition[c] = x.ref;
      break;
    case K.profile:
      if (t.a[row]! >= 0) r.region[c] = t.a[row]!;
      if (t.b[row]! >= 0) r.city[c] = t.b[row]!;
      break;
    case K.call:
      f.agent = t.a[row]!;
      break;
    case K.purchase:
      f.buys.push([x.at, t.num[row]!, x.ch]);
      break;
    case K.refund:
      r.refunds.t.push(x.at);
      r.refunds.cust.push(c);
      r.refunds.amount.push(t.num[row]!);
      break;
    case K.survey:
      surveyAnswered(r, f, x, kindId);
      break;
    default:
      break; // erased: the facts stay countable, none of them personal
  }
}

/** A customer's folded state into the records: promises due by then, purchases and drivers in time order. */
function recordCustomer(r: KpiRecords, f: CustomerFold, asOfMs: number): void {
  const { c, agent } = f;
  r.agent[c] = agent;
  for (const p of f.promises.values()) {
    if (p.state === 'cancelled' || p.due > asOfMs) continue;
    push(r.promises, p.due, c, p.channel, p.madeBy);
    r.promises.kept.push(p.state === 'kept' && p.keptAt <= p.due ? 1 : 0);
  }
  f.buys.sort((x, y) => x[0] - y[0]);
  for (const [at, amount, ch] of f.buys) {
    push(r.purchases, at, c, ch, agent);
    r.purchases.amount.push(amount);
  }
  f.drivers.sort((x, y) => x[0] - y[0]);
  for (const [at, d] of f.drivers) {
    r.drivers.t.push(at);
    r.drivers.cust.push(c);
    r.drivers.driver.push(d);
  }
}

export function deriveKpiRecords(t: KpiFactTable, asOfMs: number, knownAtMs = Number.POSITIVE_INFINITY): KpiRecords {
  const n = t.customerIds.length;
  const kindId = { nps: t.strings.id('nps'), csat: t.strings.id('csat'), ces: t.strings.id('ces') };
  const r = emptyRecords(n, asOfMs, knownAtMs);
  const f: CustomerFold = { c: 0, agent: -1, complaints: new Map(), promises: new Map(), buys: [], drivers: [] };
  for (let c = 0; c < n; c++) {
    f.c = c;
    f.agent = -1;
    f.complaints.clear();
    f.promises.clear();
    f.buys.length = 0;
    f.drivers.length = 0;
    const end = t.start[c + 1]!;
    for (let row = t.start[c]!; row < end; row++) {
      const at = t.at[row]!;
      if (at > asOfMs || t.rec[row]! > knownAtMs) continue;
      const x: Row = { t, row, at, ch: t.channel[row]!, ref: t.ref[row]! };
      if (!complaintRow(r, f, x) && !promiseRow(f, x)) customerRow(r, f, x, kindId);
    }
    recordCustomer(r, f, asOfMs);
  }
  return r;
}
