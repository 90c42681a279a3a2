import type { ProjectedEvent } from '@rapport/projection-engine';
import { MemoryReadStore } from '@rapport/read-store';
import { fold, projected } from '@rapport/testing';
import { complaintSlaAt, complaintSlaBreachesDue } from './complaint-sla-deadlines';
import { ComplaintSlaPolicyError, DEFAULT_COMPLAINT_SLA_POLICY, type ComplaintSlaPolicy } from './complaint-sla-policy';
import { complaintSlaProjection, evolveComplaintSla, type ComplaintSlaDoc } from './complaint-sla.projection';
import { customerComplaintSla, findComplaintSla } from './complaint-sla.query';
import { slaPolicyFromDocument } from './sla-policy-rules';

const C = 'c1';
const filed = (
  id: string,
  at: string,
  severity: 'low' | 'medium' | 'high' | 'critical' = 'high',
  category = 'delivery',
) => projected('ComplaintFiled', at, { customerId: C, complaintId: id, category, severity, description: 'x' });
const acked = (id: string, at: string) =>
  projected('ComplaintAcknowledged', at, { customerId: C, complaintId: id, by: 'a1' });
const resolved = (id: string, at: string) =>
  projected('ComplaintResolved', at, { customerId: C, complaintId: id, by: 'a1', resolution: 'x' });
const awaiting = (id: string, at: string) =>
  projected('ComplaintAwaitingCustomer', at, { customerId: C, complaintId: id, by: 'a1' });
const answered = (id: string, at: string) =>
  projected('ComplaintCustomerResponded', at, { customerId: C, complaintId: id });
const registered = (region: string) =>
  projected('CustomerRegistered', '2026-01-01T00:00:00Z', {
    customerId: C,
    name: 'x',
    acquisitionChannel: 'web',
    acquisitionCost: 0,
    region,
    city: 'x',
    demographics: {},
  });
const docOf = (...events: ProjectedEvent[]) => fold<ComplaintSlaDoc>(evolveComplaintSla, events) as ComplaintSlaDoc;
const ms = (iso: string) => Date.parse(iso);
const policy = DEFAULT_COMPLAINT_SLA_POLICY; // high: first reply 8 h, resolve 24 h, wall clock

async function report(
  docs: ComplaintSlaDoc[],
  params: Record<string, unknown>,
  now: string,
  p: ComplaintSlaPolicy = policy,
) {
  const store = new MemoryReadStore();
  await store.ensureCollection({ name: 'complaint-sla', indexes: complaintSlaProjection.indexes });
  await store.commit(
    docs.map((doc, i) => ({ kind: 'upsert' as const, collection: 'complaint-sla', doc, position: i + 1 })),
  );
  return findComplaintSla({ store, collection: 'complaint-sla' }, { params, now, policy: p });
}

describe('complaint SLAs as service desks define them', () => {
  it('given a first reply given late and no breach on record, then it counts as a breach all the same', async () => {
    // Filed 09:00, acknowledged 20:00: 3 h after its 17:00 deadline, before any watcher ran.
    const doc = docOf(filed('k1', '2026-03-02T09:00:00Z'), acked('k1', '2026-03-02T20:00:00Z'));
    const r = await report([doc], { list: 'breached' }, '2026-03-03T00:00:00Z');
    expect(r.summary.breaches.acknowledgement).toBe(1);
    expect(r.summary.late.acknowledgement).toBe(1);
    expect(r.summary.breachedComplaints).toBe(1);
    expect(r.items.map((i) => [i.complaintId, i.acknowledgement.status, i.acknowledgement.breached])).toEqual([
      ['k1', 'late', true],
    ]);
    expect(r.metrics.firstReply).toEqual({ medianHours: 11, p90Hours: 11, count: 1, breaches: 1 });
    // The customer's own view counts it too.
    const view = customerComplaintSla(doc, '2026-03-03T00:00:00Z', policy);
    expect(view.counts).toMatchObject({ breached: 1, acknowledgementBreaches: 1 });
  });

  it('given a wait for the customer, then the resolution clock pauses and the deadline moves by the wait', () => {
    // Filed 09:00 (resolve in 24 h), answered by a question at 10:00, customer answers 20:00 the next day (34 h later).
    const waiting = docOf(filed('k1', '2026-03-02T09:00:00Z'), awaiting('k1', '2026-03-02T10:00:00Z'));
    const during = complaintSlaAt(waiting.complaints[0]!, ms('2026-03-03T12:00:00Z'), policy);
    expect(during.resolution.status).toBe('paused');
    expect(during.acknowledgement).toMatchObject({ status: 'met', doneAt: '2026-03-02T10:00:00Z' });
    expect(during.nextDueAt).toBeNull();
    expect(complaintSlaBreachesDue([waiting], '2026-03-04T00:00:00Z', policy)).toEqual([]);
    const after = docOf(
      filed('k1', '2026-03-02T09:00:00Z'),
      awaiting('k1', '2026-03-02T10:00:00Z'),
      answered('k1', '2026-03-03T20:00:00Z'),
    );
    const at = complaintSlaAt(after.complaints[0]!, ms('2026-03-03T21:00:00Z'), policy);
    // 1 h used before the wait, 23 h left from 20:00: due 2026-03-04 19:00.
    expect(at.resolution).toMatchObject({ status: 'pending', dueAt: '2026-03-04T19:00:00.000Z', pausedHours: 34 });
    // The customer answered: the next reply is owed within the first-reply hours (8 h).
    expect(at.nextReply).toMatchObject({ status: 'pending', dueAt: '2026-03-04T04:00:00.000Z' });
    expect(complaintSlaBreachesDue([after], '2026-03-04T05:00:00Z', policy)).toEqual([
      { customerId: C, complaintId: 'k1', sla: 'nextReply', dueAt: '2026-03-04T04:00:00.000Z' },
    ]);
  });

  it('given a next reply, then it is met; asking the customer again is a reply', () => {
    const doc = docOf(
      filed('k1', '2026-03-02T09:00:00Z'),
      awaiting('k1', '2026-03-02T10:00:00Z'),
      answered('k1', '2026-03-02T12:00:00Z'),
      awaiting('k1', '2026-03-02T14:00:00Z'),
    );
    const at = complaintSlaAt(doc.complaints[0]!, ms('2026-03-02T15:00:00Z'), policy);
    expect(at.nextReply).toMatchObject({ status: 'met', doneAt: '2026-03-02T14:00:00Z' });
  });

  describe('policies by severity and category, on business-hours calendars per region', () => {
    const desk = slaPolicyFromDocument({
      calendars: {
        shanghai: {
          utcOffsetMinutes: 480,
          hours: { mon: '09:00-18:00', tue: '09:00-18:00', wed: '09:00-18:00', thu: '09:00-18:00', fri: '09:00-18:00' },
          holidays: ['2026-03-04'],
        },
      },
      regionCalendars: { 'East China': 'shanghai' },
      rules: [
        {
          name: 'billing-critical',
          severity: ['critical'],
          category: ['billing'],
          acknowledgeHours: 1,
          resolveHours: 4,
          warnBeforeHours: 1,
        },
      ],
    });

    it('given a complaint in a region with a calendar, then its hours count only in business hours, holidays skipped', () => {
      // Filed Tuesday 2026-03-03 17:00 local (09:00Z), high: 8 business hours → 1 h on Tuesday, Wednesday is a holiday, 7 h on Thursday: 16:00 local.
      const doc = docOf(registered('East China'), filed('k1', '2026-03-03T09:00:00Z'));
      const at = complaintSlaAt(doc.complaints[0]!, ms('2026-03-03T10:00:00Z'), desk, doc.region);
      expect(at.calendar).toBe('shanghai');
      expect(at.acknowledgement.dueAt).toBe('2026-03-05T08:00:00.000Z');
    });

    it('given a critical billing complaint, then the billing rule applies; other complaints keep the severity hours', () => {
      const doc = docOf(
        registered('West China'),
        filed('k1', '2026-03-02T09:00:00Z', 'critical', 'billing'),
        filed('k2', '2026-03-02T09:00:00Z', 'critical', 'delivery'),
      );
      const [billing, delivery] = doc.complaints.map((c) =>
        complaintSlaAt(c, ms('2026-03-02T09:10:00Z'), desk, doc.region),
      );
      expect(billing).toMatchObject({ rule: 'billing-critical', calendar: null });
      expect(billing!.acknowledgement.dueAt).toBe('2026-03-02T10:00:00.000Z');
      expect(billing!.resolution).toMatchObject({
        dueAt: '2026-03-02T13:00:00.000Z',
        warnAt: '2026-03-02T12:00:00.000Z',
      });
      expect(delivery!.rule).toBeNull();
      expect(delivery!.acknowledgement.dueAt).toBe('2026-03-02T11:00:00.000Z');
    });

    it('given steps close to their deadline, then the warning list names them', async () => {
      const doc = docOf(
        registered('West China'),
        filed('k1', '2026-03-02T09:00:00Z', 'critical', 'billing'),
        filed('k2', '2026-03-02T09:00:00Z', 'low'),
      );
      const r = await report([doc], { list: 'warning' }, '2026-03-02T09:30:00Z', desk);
      expect(r.items.map((i) => i.complaintId)).toEqual(['k1']);
      expect(r.summary.warnings).toBe(1);
    });

    it('rejects a bad policy document naming the field', () => {
      const field = (doc: unknown) => {
        try {
          slaPolicyFromDocument(doc);
          return null;
        } catch (e) {
          return e instanceof ComplaintSlaPolicyError ? e.field : 'other';
        }
      };
      expect(field({ rules: [{ name: 'x', severity: ['urgent'] }] })).toBe('rules[0].severity');
      expect(field({ rules: [{ name: 'x', resolveHours: -1 }] })).toBe('rules[0].resolveHours');
      expect(field({ rules: [{ name: 'x', calendar: 'nowhere' }] })).toBe('rules[0].calendar');
      expect(field({ calendars: { sh: { utcOffsetMinutes: 480, hours: { mon: '9-18' } } } })).toBe(
        'calendars.sh.hours.mon',
      );
      expect(field({ regionCalendars: { East: 'sh' } })).toBe('regionCalendars.East');
      expect(field({ warnFraction: 2 })).toBe('warnFraction');
      expect(field({ colour: 'red' })).toBe('colour');
      expect(field({ rules: [{ name: 'ok', severity: ['high'], acknowledgeHours: 2 }] })).toBeNull();
    });
  });

  it('as of an earlier time, a complaint resolved since reads open, and later steps are not known', async () => {
    const doc = docOf(
      filed('k1', '2026-03-02T09:00:00Z'),
      acked('k1', '2026-03-02T10:00:00Z'),
      resolved('k1', '2026-03-05T09:00:00Z'),
    );
    const then = await report([doc], { asOf: '2026-03-03T00:00:00Z' }, '2026-03-10T00:00:00Z');
    expect(then.now).toBe('2026-03-03T00:00:00.000Z');
    expect(then.summary.open).toBe(1);
    expect(then.items[0]).toMatchObject({ status: 'open', resolvedAt: null });
    expect(then.metrics.resolution.count).toBe(0);
    const now = await report([doc], {}, '2026-03-10T00:00:00Z');
    expect(now.summary.open).toBe(0);
    // Resolved 72 h after filing against 24 h: late, a breach.
    expect(now.metrics.resolution).toEqual({ medianHours: 72, p90Hours: 72, count: 1, breaches: 1 });
  });
});
