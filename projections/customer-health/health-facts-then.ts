import type { CustomerHealthDoc, HealthFact } from './customer-health.projection';

export interface PromiseThen {
  madeId: string;
  due: number;
  open: boolean;
  ids: string[];
  brokenAt: number | null;
}

export interface ComplaintThen {
  open: boolean;
  ids: string[];
  breaches: Array<{ id: string; t: number }>;
}

export interface PurchaseThen {
  id: string;
  t: number;
  amount: number;
}

/** A customer's health facts that had occurred by `asOfMs` and been recorded by `knownAtMs`, folded. */
export interface HealthFactsThen {
  registered: HealthFact;
  purchases: PurchaseThen[];
  refunds: Array<{ t: number; amount: number }>;
  promises: Map<string, PromiseThen>;
  complaints: Map<string, ComplaintThen>;
  /** The latest NPS answer. */
  nps: { id: string; t: number; score: number } | null;
  /** Event id at each event position (the sentiment moments name positions). */
  idAtPosition: Map<number, string>;
}

type FactOf<K extends HealthFact['k']> = Extract<HealthFact, { k: K }>;

function promiseStep(promises: Map<string, PromiseThen>, f: FactOf<'promise'>): void {
  // x: step, y: promise id, z: due date
  const p = promises.get(f.y);
  if (f.x === 'made') promises.set(f.y, { madeId: f.id, due: f.z!, open: true, ids: [f.id], brokenAt: null });
  else if (p) {
    p.ids.push(f.id);
    if (f.x === 'renegotiated') {
      p.due = f.z!;
      p.open = true;
    } else if (f.x === 'kept' || f.x === 'cancelled') p.open = false;
    else if (f.x === 'broken') {
      p.open = false;
      p.brokenAt = f.t;
    }
  }
}

function complaintStep(complaints: Map<string, ComplaintThen>, f: FactOf<'complaint'>): void {
  // x: step, y: complaint id
  const c = complaints.get(f.y);
  if (f.x === 'filed') complaints.set(f.y, { open: true, ids: [f.id], breaches: [] });
  else if (c) {
    c.ids.push(f.id);
    if (f.x === 'resolved') c.open = false;
    else if (f.x === 'reopened') c.open = true;
    else if (f.x === 'breached') c.breaches.push({ id: f.id, t: f.t });
  }
}

/** The facts as of then; null for a customer not registered by then or erased. */
export function healthFactsThen(health: CustomerHealthDoc, asOfMs: number, knownAtMs: number): HealthFactsThen | null {
  let registered: HealthFact | null = null;
  const then: Omit<HealthFactsThen, 'registered'> = {
    purchases: [],
    refunds: [],
    promises: new Map(),
    complaints: new Map(),
    nps: null,
    idAtPosition: new Map(),
  };
  for (const f of health.facts) {
    if (f.t > asOfMs || f.r > knownAtMs) continue;
    then.idAtPosition.set(f.p, f.id);
    switch (f.k) {
      case 'registered':
        registered = f;
        break;
      case 'erased':
        return null;
      case 'purchase':
        then.purchases.push({ id: f.id, t: f.t, amount: f.x });
        break;
      case 'refund':
        then.refunds.push({ t: f.t, amount: f.x });
        break;
      case 'promise':
        promiseStep(then.promises, f);
        break;
      case 'complaint':
        complaintStep(then.complaints, f);
        break;
      case 'survey':
        // x: kind, y: score
        if (f.x === 'nps' && f.y !== null && (then.nps === null || f.t >= then.nps.t))
          then.nps = { id: f.id, t: f.t, score: f.y };
        break;
      case 'contact':
      case 'band':
        break;
    }
  }
  return registered === null ? null : { registered, ...then };
}
