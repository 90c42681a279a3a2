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

export function deriveKpiRecords(t: KpiFactTable, asOfMs: number, knownAtMs = Number.POSITIVE_INFINITY): KpiRecords {
  const n = t.customerIds.length;
  const kindId = { nps: t.strings.id('nps'), csat: t.strings.id('csat'), ces: t.strings.id('ces') };
  const r: KpiRecords = {
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
  const complaints = new Map<number, OpenComplaint>();
  const promises = new Map<number, OpenPromise>();
  const buys: Array<[number, number, number]> = [];
  const drivers: Array<[number, number]> = [];
  for (let c = 0; c < n; c++) {
    complaints.clear();
    promises.clear();
    buys.length = 0;
    drivers.length = 0;
    let agent = -1;
    const end = t.start[c + 1]!;
    for (let row = t.start[c]!; row < end; row++) {
      const at = t.at[row]!;
      if (at > asOfMs || t.rec[row]! > knownAtMs) continue;
      const ch = t.channel[row]!;
      const ref = t.ref[row]!;
      switch (t.kind[row]) {
        case K.registered:
          r.region[c] = t.a[row]!;
          r.city[c] = t.b[row]!;
          r.acquisition[c] = ref;
          break;
        case K.profile:
          if (t.a[row]! >= 0) r.region[c] = t.a[row]!;
          if (t.b[row]! >= 0) r.city[c] = t.b[row]!;
          break;
        case K.call:
          agent = t.a[row]!;
          break;
        case K.purchase:
          buys.push([at, t.num[row]!, ch]);
          break;
        case K.refund:
          r.refunds.t.push(at);
          r.refunds.cust.push(c);
          r.refunds.amount.push(t.num[row]!);
          break;
        case K.survey: {
          const kind = t.a[row]!;
          const score = t.num[row]!;
          const k =
            kind === kindId.nps
              ? SURVEY_NPS
              : kind === kindId.csat
                ? SURVEY_CSAT
                : kind === kindId.ces
                  ? SURVEY_CES
                  : -1;
          if (k < 0 || Number.isNaN(score)) break;
          push(r.surveys, at, c, ch, agent);
          r.surveys.kind.push(k);
          r.surveys.score.push(score);
          break;
        }
        case K.complaintFiled:
          if (!complaints.has(ref))
            complaints.set(ref, { filedAt: at, channel: ch, responded: false, resolved: false, open: true });
          drivers.push([at, 2]);
          break;
        case K.complaintAcknowledged:
        case K.complaintAwaiting:
        case K.complaintResolved: {
          const k = complaints.get(ref);
          if (k === undefined || !k.open) break;
          agent = t.a[row]!;
          if (!k.responded) {
            k.responded = true;
            push(r.firstResponse, at, c, k.channel, agent);
            r.firstResponse.hours.push((at - k.filedAt) / HOUR);
          }
          if (t.kind[row] === K.complaintResolved) {
            k.open = false;
            if (!k.resolved) {
              k.resolved = true;
              push(r.resolution, at, c, k.channel, agent);
              r.resolution.hours.push((at - k.filedAt) / HOUR);
            }
          }
          break;
        }
        case K.complaintReopened: {
          const k = complaints.get(ref);
          if (k !== undefined) k.open = true;
          break;
        }
        case K.complaintBreached:
          drivers.push([at, 1]);
          break;
        case K.promiseMade:
          if (!promises.has(ref))
            promises.set(ref, { due: t.num[row]!, channel: ch, madeBy: t.a[row]!, state: 'open', keptAt: Number.NaN });
          agent = t.a[row]!;
          break;
        case K.promiseKept: {
          const p = promises.get(ref);
          if (p?.state === 'open') {
            p.state = 'kept';
            p.keptAt = at;
          }
          agent = t.a[row]!;
          break;
        }
        case K.promiseRenegotiated: {
          const p = promises.get(ref);
          if (p?.state === 'open') p.due = t.num[row]!;
          break;
        }
        case K.promiseBroken: {
          const p = promises.get(ref);
          if (p?.state === 'open') p.state = 'broken';
          drivers.push([at, 0]);
          break;
        }
        case K.promiseCancelled: {
          const p = promises.get(ref);
          if (p?.state === 'open') p.state = 'cancelled';
          break;
        }
        case K.promiseOverdue:
          drivers.push([at, 0]);
          break;
        default:
          break; // erased: the facts stay countable, none of them personal
      }
    }
    r.agent[c] = agent;
    for (const p of promises.values()) {
      if (p.state === 'cancelled' || p.due > asOfMs) continue;
      push(r.promises, p.due, c, p.channel, p.madeBy);
      r.promises.kept.push(p.state === 'kept' && p.keptAt <= p.due ? 1 : 0);
    }
    buys.sort((x, y) => x[0] - y[0]);
    for (const [at, amount, ch] of buys) {
      push(r.purchases, at, c, ch, agent);
      r.purchases.amount.push(amount);
    }
    drivers.sort((x, y) => x[0] - y[0]);
    for (const [at, d] of drivers) {
      r.drivers.t.push(at);
      r.drivers.cust.push(c);
      r.drivers.driver.push(d);
    }
  }
  return r;
}
