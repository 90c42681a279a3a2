import type { ProjectedEvent } from '@rapport/projection-engine';
import { fold, projected } from '@rapport/testing';
import { complaintSlaAt, complaintSlaBreachesDue } from './complaint-sla-deadlines';
import { complaintSlaPolicy, DEFAULT_COMPLAINT_SLA_POLICY } from './complaint-sla-policy';
import { complaintSlaProjection, evolveComplaintSla, type ComplaintSlaDoc } from './complaint-sla.projection';

const policy = DEFAULT_COMPLAINT_SLA_POLICY;
const filed = (
  complaintId: string,
  at: string,
  severity: 'low' | 'medium' | 'high' | 'critical' = 'high',
  customerId = 'c1',
) =>
  projected('ComplaintFiled', at, {
    customerId,
    complaintId,
    category: 'delivery',
    severity,
    description: 'the parcel was damaged',
  });
const acknowledged = (complaintId: string, at: string, customerId = 'c1') =>
  projected('ComplaintAcknowledged', at, { customerId, complaintId, by: 'agent-1', note: 'sorry' });
const escalated = (complaintId: string, at: string, to = 'team-lead') =>
  projected('ComplaintEscalated', at, { customerId: 'c1', complaintId, to, reason: 'second time' });
const resolved = (complaintId: string, at: string, customerId = 'c1') =>
  projected('ComplaintResolved', at, { customerId, complaintId, by: 'agent-2', resolution: 'refunded' });
const reopened = (complaintId: string, at: string) =>
  projected('ComplaintReopened', at, { customerId: 'c1', complaintId, reason: 'voucher missing' });
const breached = (
  complaintId: string,
  sla: 'acknowledgement' | 'resolution',
  dueAt: string,
  noticedAt: string,
  customerId = 'c1',
): ProjectedEvent => {
  // Dated at its deadline (business time), recorded when the watcher noticed it.
  const event = projected('ComplaintSlaBreached', dueAt, { customerId, complaintId, sla, dueAt }, 'system');
  return { ...event, metadata: { ...event.metadata, recordedAt: noticedAt, schemaVersion: 2 } } as ProjectedEvent;
};
const complaints = (...events: ProjectedEvent[]) =>
  fold<ComplaintSlaDoc>(evolveComplaintSla, events) as ComplaintSlaDoc;
const ms = (iso: string) => Date.parse(iso);

describe('complaint-sla projection', () => {
  it('declares the complaint events and erasure with a version', () => {
    expect([...complaintSlaProjection.handles].sort()).toEqual(
      [
        'ComplaintAcknowledged',
        'ComplaintEscalated',
        'ComplaintFiled',
        'ComplaintReopened',
        'ComplaintResolved',
        'ComplaintSlaBreached',
        'ComplaintAwaitingCustomer',
        'ComplaintCustomerResponded',
        'CustomerErased',
        'CustomerProfileUpdated',
        'CustomerRegistered',
      ].sort(),
    );
    expect(complaintSlaProjection).toMatchObject({ name: 'complaint-sla', version: 3 });
  });

  it('given a complaint filed, keeps it open with severity, category and filing time, and no personal data', () => {
    const doc = complaints(filed('k1', '2026-03-02T09:00:00Z'));
    expect(doc).toMatchObject({
      id: 'c1',
      customerId: 'c1',
      erased: false,
      counts: { filed: 1, open: 1, resolved: 0, breached: 0 },
    });
    expect(doc.complaints[0]).toEqual({
      complaintId: 'k1',
      category: 'delivery',
      severity: 'high',
      status: 'open',
      filedAt: '2026-03-02T09:00:00Z',
      acknowledgedAt: null,
      acknowledgedBy: null,
      firstResolvedAt: null,
      resolvedAt: null,
      resolvedBy: null,
      reopenedAt: null,
      escalations: [],
      reopenings: [],
      breaches: [],
      slaBreached: { acknowledgement: false, nextReply: false, resolution: false },
      waits: [],
      exchanges: [],
    });
    expect(JSON.stringify(doc)).not.toContain('damaged');
  });

  it('follows acknowledgement, escalations, resolution and reopening, with their times', () => {
    const doc = complaints(
      filed('k1', '2026-03-02T09:00:00Z'),
      acknowledged('k1', '2026-03-02T10:00:00Z'),
      escalated('k1', '2026-03-02T11:00:00Z'),
      escalated('k1', '2026-03-02T12:00:00Z', 'manager'),
      resolved('k1', '2026-03-03T08:00:00Z'),
      reopened('k1', '2026-03-05T09:00:00Z'),
    );
    expect(doc.complaints[0]).toMatchObject({
      status: 'open',
      acknowledgedAt: '2026-03-02T10:00:00Z',
      acknowledgedBy: 'agent-1',
      firstResolvedAt: '2026-03-03T08:00:00Z',
      resolvedAt: null,
      reopenedAt: '2026-03-05T09:00:00Z',
      escalations: [
        { at: '2026-03-02T11:00:00Z', to: 'team-lead' },
        { at: '2026-03-02T12:00:00Z', to: 'manager' },
      ],
      reopenings: [{ at: '2026-03-05T09:00:00Z', previousResolvedAt: '2026-03-03T08:00:00Z' }],
    });
    expect(doc.counts).toMatchObject({ filed: 1, open: 1, reopened: 1, escalated: 1 });
    const again = evolveComplaintSla(doc, resolved('k1', '2026-03-06T09:00:00Z'));
    expect(again?.complaints[0]).toMatchObject({
      status: 'resolved',
      resolvedAt: '2026-03-06T09:00:00Z',
      firstResolvedAt: '2026-03-03T08:00:00Z',
    });
    expect(again?.counts).toMatchObject({ open: 0, resolved: 1 });
  });

  it('records breaches once per step and period; a reopening opens a new resolution period', () => {
    const doc = complaints(
      filed('k1', '2026-03-02T09:00:00Z'),
      breached('k1', 'acknowledgement', '2026-03-02T17:00:00.000Z', '2026-03-02T18:00:00Z'),
      breached('k1', 'resolution', '2026-03-03T09:00:00.000Z', '2026-03-03T10:00:00Z'),
      breached('k1', 'resolution', '2026-03-03T09:00:00.000Z', '2026-03-03T11:00:00Z'),
      resolved('k1', '2026-03-04T09:00:00Z'),
      reopened('k1', '2026-03-05T09:00:00Z'),
      breached('k1', 'resolution', '2026-03-06T09:00:00.000Z', '2026-03-06T10:00:00Z'),
    );
    expect(doc.complaints[0]!.breaches).toEqual([
      { sla: 'acknowledgement', dueAt: '2026-03-02T17:00:00.000Z', recordedAt: '2026-03-02T18:00:00Z' },
      { sla: 'resolution', dueAt: '2026-03-03T09:00:00.000Z', recordedAt: '2026-03-03T10:00:00Z' },
      { sla: 'resolution', dueAt: '2026-03-06T09:00:00.000Z', recordedAt: '2026-03-06T10:00:00Z' },
    ]);
    expect(doc.complaints[0]!.slaBreached).toEqual({ acknowledgement: true, nextReply: false, resolution: true });
    expect(doc.counts).toMatchObject({ breached: 1, acknowledgementBreaches: 1, resolutionBreaches: 2 });
  });

  it('given a breach dated at its deadline but recorded three weeks later, after later touchpoints, then the fold equals the business-time fold', () => {
    const streamOrder = [
      filed('k1', '2026-03-02T09:00:00Z'),
      escalated('k1', '2026-03-05T09:00:00Z'),
      acknowledged('k1', '2026-03-06T09:00:00Z'),
      breached('k1', 'resolution', '2026-03-03T09:00:00.000Z', '2026-03-24T09:00:00Z'),
    ];
    const byBusinessTime = [...streamOrder].sort((a, b) => ms(a.metadata.occurredAt) - ms(b.metadata.occurredAt));
    expect(byBusinessTime.map((e) => e.type)).not.toEqual(streamOrder.map((e) => e.type));
    const doc = complaints(...streamOrder);
    expect(doc).toEqual(complaints(...byBusinessTime));
    expect(doc.complaints[0]!.breaches).toEqual([
      { sla: 'resolution', dueAt: '2026-03-03T09:00:00.000Z', recordedAt: '2026-03-24T09:00:00Z' },
    ]);
    expect(complaintSlaAt(doc.complaints[0]!, ms('2026-03-10T00:00:00Z'), policy).resolution).toMatchObject({
      status: 'breached',
      breachRecordedAt: '2026-03-24T09:00:00Z',
    });
  });

  it('is idempotent: an event applied twice changes nothing; events for unknown complaints are ignored', () => {
    const events = [
      filed('k1', '2026-03-02T09:00:00Z'),
      acknowledged('k1', '2026-03-02T10:00:00Z'),
      escalated('k1', '2026-03-02T11:00:00Z'),
      breached('k1', 'resolution', '2026-03-03T09:00:00.000Z', '2026-03-03T10:00:00Z'),
      resolved('k1', '2026-03-04T09:00:00Z'),
      reopened('k1', '2026-03-05T09:00:00Z'),
    ];
    const once = complaints(...events);
    expect(complaints(...events.flatMap((e) => [e, e]))).toEqual(once);
    expect(evolveComplaintSla(once, acknowledged('nope', '2026-03-06T09:00:00Z'))).toBe(once);
    // No document before a complaint is filed.
    expect(evolveComplaintSla(null, acknowledged('nope', '2026-03-06T09:00:00Z'))).toBeNull();
  });

  it('marks an erased customer and keeps its (non-personal) facts; erasure without complaints makes no document', () => {
    const doc = complaints(
      filed('k1', '2026-03-02T09:00:00Z'),
      projected('CustomerErased', '2026-03-03T09:00:00Z', { customerId: 'c1', reason: 'request' }),
    );
    expect(doc).toMatchObject({ erased: true, erasedAt: '2026-03-03T09:00:00Z', counts: { open: 1 } });
    expect(
      evolveComplaintSla(
        null,
        projected('CustomerErased', '2026-03-03T09:00:00Z', { customerId: 'c2', reason: 'request' }),
      ),
    ).toBeNull();
  });
});

describe('complaint SLA deadlines at a given time', () => {
  // high: acknowledge within 8 h, resolve within 24 h.
  const doc = complaints(filed('k1', '2026-03-02T09:00:00Z'));

  it('reads both steps against now: pending, then overdue strictly after the deadline', () => {
    // Default warning: a quarter of the step's time before its deadline (2 h of 8, 6 h of 24).
    const step = (dueAt: string, warnAt: string) => ({
      dueAt,
      status: 'pending',
      doneAt: null,
      breachRecordedAt: null,
      warnAt,
      warning: false,
      breached: false,
      pausedHours: 0,
    });
    expect(complaintSlaAt(doc.complaints[0]!, ms('2026-03-02T12:00:00Z'), policy)).toEqual({
      acknowledgement: step('2026-03-02T17:00:00.000Z', '2026-03-02T15:00:00.000Z'),
      nextReply: null,
      resolution: step('2026-03-03T09:00:00.000Z', '2026-03-03T03:00:00.000Z'),
      nextDueAt: '2026-03-02T17:00:00.000Z',
      rule: null,
      calendar: null,
    });
    expect(complaintSlaAt(doc.complaints[0]!, ms('2026-03-02T15:00:00Z'), policy).acknowledgement.warning).toBe(true);
    expect(complaintSlaAt(doc.complaints[0]!, ms('2026-03-02T17:00:00Z'), policy).acknowledgement.status).toBe(
      'pending',
    );
    expect(complaintSlaAt(doc.complaints[0]!, ms('2026-03-02T17:00:01Z'), policy).acknowledgement.status).toBe(
      'overdue',
    );
  });

  it('lists exactly the steps whose breach is due, once per deadline', () => {
    expect(complaintSlaBreachesDue([doc], '2026-03-02T17:00:00Z', policy)).toEqual([]);
    expect(complaintSlaBreachesDue([doc], '2026-03-03T10:00:00Z', policy)).toEqual([
      { customerId: 'c1', complaintId: 'k1', sla: 'acknowledgement', dueAt: '2026-03-02T17:00:00.000Z' },
      { customerId: 'c1', complaintId: 'k1', sla: 'resolution', dueAt: '2026-03-03T09:00:00.000Z' },
    ]);
    const recorded = complaints(
      filed('k1', '2026-03-02T09:00:00Z'),
      breached('k1', 'acknowledgement', '2026-03-02T17:00:00.000Z', '2026-03-03T10:00:00Z'),
      breached('k1', 'resolution', '2026-03-03T09:00:00.000Z', '2026-03-03T10:00:00Z'),
    );
    expect(complaintSlaBreachesDue([recorded], '2026-03-09T00:00:00Z', policy)).toEqual([]);
    expect(complaintSlaAt(recorded.complaints[0]!, ms('2026-03-09T00:00:00Z'), policy).resolution).toMatchObject({
      status: 'breached',
      breachRecordedAt: '2026-03-03T10:00:00Z',
    });
  });

  it('a reopened complaint gets a fresh resolution deadline from the reopening; the acknowledgement is not owed again', () => {
    const reopenedDoc = complaints(
      filed('k1', '2026-03-02T09:00:00Z'),
      acknowledged('k1', '2026-03-02T10:00:00Z'),
      breached('k1', 'resolution', '2026-03-03T09:00:00.000Z', '2026-03-03T10:00:00Z'),
      resolved('k1', '2026-03-04T09:00:00Z'),
      reopened('k1', '2026-03-05T09:00:00Z'),
    );
    const at = complaintSlaAt(reopenedDoc.complaints[0]!, ms('2026-03-05T12:00:00Z'), policy);
    expect(at.acknowledgement).toMatchObject({ status: 'met', doneAt: '2026-03-02T10:00:00Z' });
    expect(at.resolution).toMatchObject({
      dueAt: '2026-03-06T09:00:00.000Z',
      status: 'pending',
      doneAt: null,
      breachRecordedAt: null,
    });
    expect(complaintSlaBreachesDue([reopenedDoc], '2026-03-06T09:00:00Z', policy)).toEqual([]);
    expect(complaintSlaBreachesDue([reopenedDoc], '2026-03-06T09:30:00Z', policy)).toEqual([
      { customerId: 'c1', complaintId: 'k1', sla: 'resolution', dueAt: '2026-03-06T09:00:00.000Z' },
    ]);
  });

  it('a resolution is a first response: a complaint resolved before any acknowledgement owes none after a reopening', () => {
    const doc2 = complaints(
      filed('k1', '2026-03-02T09:00:00Z'),
      resolved('k1', '2026-03-02T12:00:00Z'),
      reopened('k1', '2026-03-04T09:00:00Z'),
    );
    const at = complaintSlaAt(doc2.complaints[0]!, ms('2026-03-04T10:00:00Z'), policy);
    expect(at.acknowledgement).toMatchObject({ status: 'met', doneAt: '2026-03-02T12:00:00Z' });
    expect(complaintSlaBreachesDue([doc2], '2026-03-04T10:00:00Z', policy)).toEqual([]);
  });

  it('done steps read met or late; resolved and erased complaints are never candidates', () => {
    const late = complaints(
      filed('k1', '2026-03-02T09:00:00Z', 'critical'),
      acknowledged('k1', '2026-03-02T12:00:00Z'),
      resolved('k1', '2026-03-02T16:00:00Z'),
    );
    const at = complaintSlaAt(late.complaints[0]!, ms('2026-03-09T00:00:00Z'), policy);
    expect([at.acknowledgement.status, at.resolution.status, at.nextDueAt]).toEqual(['late', 'met', null]);
    expect(complaintSlaBreachesDue([late], '2026-03-09T00:00:00Z', policy)).toEqual([]);
    const erased = evolveComplaintSla(
      doc,
      projected('CustomerErased', '2026-03-02T10:00:00Z', { customerId: 'c1', reason: 'request' }),
    ) as ComplaintSlaDoc;
    expect(complaintSlaBreachesDue([erased], '2026-03-09T00:00:00Z', policy)).toEqual([]);
  });

  it('deadlines follow the policy of the moment, not the one at filing', () => {
    const strict = complaintSlaPolicy({ acknowledgeHours: { high: 1 } });
    expect(complaintSlaBreachesDue([doc], '2026-03-02T10:30:00Z', policy)).toEqual([]);
    expect(complaintSlaBreachesDue([doc], '2026-03-02T10:30:00Z', strict)).toEqual([
      { customerId: 'c1', complaintId: 'k1', sla: 'acknowledgement', dueAt: '2026-03-02T10:00:00.000Z' },
    ]);
  });

  it('orders candidates by deadline, then customer, complaint and step', () => {
    const other = complaints(filed('k9', '2026-03-02T08:00:00Z', 'critical', 'c0'));
    expect(
      complaintSlaBreachesDue([doc, other], '2026-03-03T10:00:00Z', policy).map(
        (c) => `${c.customerId}/${c.complaintId}/${c.sla}`,
      ),
    ).toEqual(['c0/k9/acknowledgement', 'c0/k9/resolution', 'c1/k1/acknowledgement', 'c1/k1/resolution']);
  });
});
