import type { ProjectedEvent } from '@rapport/projection-engine';
import { MemoryReadStore } from '@rapport/read-store';
import { AnalystQueryError } from '@rapport/projection-engine';
import { fold, projected } from '@rapport/testing';
import { DEFAULT_COMPLAINT_SLA_POLICY } from './complaint-sla-policy';
import { complaintSlaProjection, evolveComplaintSla, type ComplaintSlaDoc } from './complaint-sla.projection';
import { customerComplaintSla, findComplaintSla, complaintSlaOf } from './complaint-sla.query';

const COLLECTION = 'complaint-sla';
const policy = DEFAULT_COMPLAINT_SLA_POLICY;
const NOW = '2026-03-04T12:00:00.000Z';

const filed = (customerId: string, complaintId: string, at: string, severity: 'low' | 'medium' | 'high' | 'critical') =>
  projected('ComplaintFiled', at, { customerId, complaintId, category: 'delivery', severity, description: 'text' });
const doc = (...events: ProjectedEvent[]) => fold<ComplaintSlaDoc>(evolveComplaintSla, events) as ComplaintSlaDoc;

async function storeWith(docs: ComplaintSlaDoc[]): Promise<MemoryReadStore> {
  const store = new MemoryReadStore();
  await store.ensureCollection({ name: COLLECTION, indexes: complaintSlaProjection.indexes });
  await store.commit(
    docs.map((d, i) => ({ kind: 'upsert' as const, collection: COLLECTION, doc: d, position: i + 1 })),
  );
  return store;
}

describe('complaint SLA query', () => {
  // a: high filed 03-04 06:00, ack due 14:00 (pending at NOW). b: low filed 03-01, ack due 03-03 09:00 (past, unrecorded).
  // c: critical, acknowledged, breach of resolution recorded, then resolved. d: medium, resolved in time. e: erased with an open complaint.
  const docs = [
    doc(filed('a', 'a-1', '2026-03-04T06:00:00Z', 'high')),
    doc(filed('b', 'b-1', '2026-03-01T09:00:00Z', 'low')),
    doc(
      filed('c', 'c-1', '2026-03-02T09:00:00Z', 'critical'),
      projected('ComplaintAcknowledged', '2026-03-02T10:00:00Z', {
        customerId: 'c',
        complaintId: 'c-1',
        by: 'agent-1',
      }),
      projected(
        'ComplaintSlaBreached',
        '2026-03-02T18:00:00Z',
        { customerId: 'c', complaintId: 'c-1', sla: 'resolution', dueAt: '2026-03-02T17:00:00.000Z' },
        'system',
      ),
      projected('ComplaintResolved', '2026-03-03T09:00:00Z', {
        customerId: 'c',
        complaintId: 'c-1',
        by: 'agent-1',
        resolution: 'done',
      }),
    ),
    doc(
      filed('d', 'd-1', '2026-03-03T09:00:00Z', 'medium'),
      projected('ComplaintResolved', '2026-03-03T10:00:00Z', {
        customerId: 'd',
        complaintId: 'd-1',
        by: 'agent-1',
        resolution: 'done',
      }),
    ),
    doc(
      filed('e', 'e-1', '2026-03-01T09:00:00Z', 'high'),
      projected('CustomerErased', '2026-03-01T10:00:00Z', { customerId: 'e', reason: 'request' }),
    ),
  ];

  it('lists open complaints soonest deadline first, with both deadlines from the policy and a summary', async () => {
    const store = await storeWith(docs);
    const report = await findComplaintSla({ store, collection: COLLECTION }, { params: {}, now: NOW, policy });
    expect(
      report.items.map((i) => [i.complaintId, i.nextDueAt, i.acknowledgement.status, i.resolution.status]),
    ).toEqual([
      ['b-1', '2026-03-03T09:00:00.000Z', 'overdue', 'pending'],
      ['a-1', '2026-03-04T14:00:00.000Z', 'pending', 'pending'],
    ]);
    expect(report).toMatchObject({ now: NOW, list: 'open', policy, nextCursor: null });
    expect(report.summary).toEqual({
      open: 2,
      pastDeadline: 1,
      acknowledgementPastDeadline: 1,
      resolutionPastDeadline: 0,
      breachedComplaints: 1,
      breaches: { acknowledgement: 0, nextReply: 0, resolution: 1 },
      late: { acknowledgement: 0, nextReply: 0, resolution: 0 },
      // a-1's first reply is due at 14:00: a quarter of its 8 h before is 12:00, now.
      warnings: 1,
      waitingForCustomer: 0,
      bySeverity: {
        low: { open: 1, pastDeadline: 1 },
        medium: { open: 0, pastDeadline: 0 },
        high: { open: 1, pastDeadline: 0 },
        critical: { open: 0, pastDeadline: 0 },
      },
    });
  });

  it('lists the overdue ones, and the breached ones latest breach first', async () => {
    const store = await storeWith(docs);
    expect(
      (
        await findComplaintSla({ store, collection: COLLECTION }, { params: { list: 'overdue' }, now: NOW, policy })
      ).items.map((i) => i.complaintId),
    ).toEqual(['b-1']);
    const breached = await findComplaintSla(
      { store, collection: COLLECTION },
      { params: { list: 'breached' }, now: NOW, policy },
    );
    expect(breached.items).toHaveLength(1);
    expect(breached.items[0]).toMatchObject({
      customerId: 'c',
      complaintId: 'c-1',
      status: 'resolved',
      resolution: { dueAt: '2026-03-02T17:00:00.000Z', status: 'late', breachRecordedAt: '2026-03-02T18:00:00Z' },
      breaches: [{ sla: 'resolution', dueAt: '2026-03-02T17:00:00.000Z', recordedAt: '2026-03-02T18:00:00Z' }],
    });
  });

  it('filters by severity and pages with a cursor', async () => {
    const store = await storeWith(docs);
    expect(
      (
        await findComplaintSla(
          { store, collection: COLLECTION },
          { params: { severity: 'high,critical' }, now: NOW, policy },
        )
      ).items.map((i) => i.complaintId),
    ).toEqual(['a-1']);
    const first = await findComplaintSla(
      { store, collection: COLLECTION },
      { params: { limit: '1' }, now: NOW, policy },
    );
    expect(first.items.map((i) => i.complaintId)).toEqual(['b-1']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await findComplaintSla(
      { store, collection: COLLECTION },
      { params: { limit: '1', cursor: first.nextCursor }, now: NOW, policy },
    );
    expect(second.items.map((i) => i.complaintId)).toEqual(['a-1']);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses bad parameters naming them, before reading anything', async () => {
    const store = await storeWith(docs);
    for (const [params, field] of [
      [{ list: 'late' }, 'list'],
      [{ severity: 'urgent' }, 'severity'],
      [{ limit: '0' }, 'limit'],
      [{ limit: 'many' }, 'limit'],
      [{ cursor: 'bm9wZQ' }, 'cursor'],
      [{ colour: 'red' }, 'colour'],
    ] as const) {
      await expect(
        findComplaintSla({ store, collection: COLLECTION }, { params, now: NOW, policy }),
      ).rejects.toBeInstanceOf(AnalystQueryError);
      await expect(
        findComplaintSla({ store, collection: COLLECTION }, { params, now: NOW, policy }),
      ).rejects.toMatchObject({ field });
    }
  });

  it('reads one customer: every complaint in filing order with its deadlines at now', async () => {
    const store = await storeWith(docs);
    const view = await complaintSlaOf({ store, collection: COLLECTION }, { customerId: 'c', now: NOW, policy });
    expect(view).toEqual(customerComplaintSla(docs[2]!, NOW, policy));
    expect(view?.complaints[0]).toMatchObject({
      complaintId: 'c-1',
      acknowledgement: { status: 'met' },
      resolution: { status: 'late' },
      nextDueAt: null,
      escalations: 0,
      reopenings: 0,
    });
    expect(
      await complaintSlaOf({ store, collection: COLLECTION }, { customerId: 'nobody', now: NOW, policy }),
    ).toBeNull();
  });
});
