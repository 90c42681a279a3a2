import { givenProjection, fold, projected } from '@rapport/testing';
import { agentPromiseRates, duePromises, promisesNeedingOverdueEvent } from './promise-deadlines';
import {
  evolvePromiseFulfilment,
  promiseFulfilmentProjection,
  type PromiseFulfilmentDoc,
} from './promise-fulfilment.projection';
import { promisesAt } from './promise-fulfilment.query';

// The decoder hands projections the decrypted data plus the sealed (stored) form of each personal field.
const made = (promiseId: string, at: string, dueAt: string, madeBy = 'agent-1', customerId = 'c1') => ({
  ...projected(
    'PromiseMade',
    at,
    { customerId, promiseId, description: 'call back about the refund', dueAt, madeBy, withinPolicy: true },
    madeBy,
  ),
  sealed: { description: 'enc:v1:abc' },
});
const promises = (...events: Parameters<typeof fold>[1]) =>
  fold<PromiseFulfilmentDoc>(evolvePromiseFulfilment, events) as PromiseFulfilmentDoc;

describe('promise-fulfilment projection', () => {
  it('declares the promise events with a version', () => {
    expect([...promiseFulfilmentProjection.handles].sort()).toEqual([
      'PromiseBecameOverdue',
      'PromiseBroken',
      'PromiseCancelled',
      'PromiseKept',
      'PromiseMade',
      'PromiseRenegotiated',
    ]);
    expect(promiseFulfilmentProjection.version).toBe(3);
  });

  it('given a promise made, keeps it open with the sealed description (never the plaintext), author and dates', () => {
    const doc = promises(made('p1', '2024-05-01T09:00:00Z', '2024-05-03T09:00:00Z'));
    expect(doc.promises[0]).toMatchObject({
      promiseId: 'p1',
      description: 'enc:v1:abc',
      madeBy: 'agent-1',
      madeAt: '2024-05-01T09:00:00Z',
      dueAt: '2024-05-03T09:00:00Z',
      status: 'open',
    });
    expect(JSON.stringify(doc)).not.toContain('call back about the refund');
    expect(doc.counts).toMatchObject({ made: 1, open: 1 });
  });

  it('kept before the due date is on time, after it late; broken and cancelled close it', () => {
    const doc = promises(
      made('p1', '2024-05-01T09:00:00Z', '2024-05-03T09:00:00Z'),
      made('p2', '2024-05-01T09:00:00Z', '2024-05-03T09:00:00Z'),
      made('p3', '2024-05-01T09:00:00Z', '2024-05-03T09:00:00Z'),
      made('p4', '2024-05-01T09:00:00Z', '2024-05-03T09:00:00Z'),
      projected('PromiseKept', '2024-05-02T09:00:00Z', { customerId: 'c1', promiseId: 'p1', keptBy: 'agent-2' }),
      projected('PromiseKept', '2024-05-04T09:00:00Z', { customerId: 'c1', promiseId: 'p2', keptBy: 'agent-1' }),
      projected('PromiseBroken', '2024-05-04T09:00:00Z', { customerId: 'c1', promiseId: 'p3' }),
      projected('PromiseCancelled', '2024-05-02T09:00:00Z', { customerId: 'c1', promiseId: 'p4' }),
    );
    expect(doc.promises.map((p) => p.status)).toEqual(['kept_on_time', 'kept_late', 'broken', 'cancelled']);
    expect(doc.promises[0]).toMatchObject({ closedAt: '2024-05-02T09:00:00Z', closedBy: 'agent-2' });
    expect(doc.counts).toEqual({ made: 4, open: 0, overdue: 0, keptOnTime: 1, keptLate: 1, broken: 1, cancelled: 1 });
  });

  const spec = givenProjection(promiseFulfilmentProjection, { version: 3 });

  it('keeps renegotiations with their dates and judges "on time" against the new due date', () => {
    spec
      .given([
        made('p1', '2024-05-01T09:00:00Z', '2024-05-03T09:00:00Z'),
        projected('PromiseRenegotiated', '2024-05-02T09:00:00Z', {
          customerId: 'c1',
          promiseId: 'p1',
          previousDueAt: '2024-05-03T09:00:00Z',
          newDueAt: '2024-05-10T09:00:00Z',
        }),
      ])
      .when(projected('PromiseKept', '2024-05-08T09:00:00Z', { customerId: 'c1', promiseId: 'p1', keptBy: 'agent-1' }))
      .thenMatches({
        promises: [
          {
            dueAt: '2024-05-10T09:00:00Z',
            originalDueAt: '2024-05-03T09:00:00Z',
            renegotiations: [
              { at: '2024-05-02T09:00:00Z', previousDueAt: '2024-05-03T09:00:00Z', newDueAt: '2024-05-10T09:00:00Z' },
            ],
            status: 'kept_on_time',
          },
        ],
      });
  });

  it('PromiseBecameOverdue marks an open promise overdue; a late keep is then kept late', () => {
    const p1 = made('p1', '2024-05-01T09:00:00Z', '2024-05-03T09:00:00Z');
    const overdue = projected(
      'PromiseBecameOverdue',
      '2024-05-03T09:00:00Z',
      { customerId: 'c1', promiseId: 'p1', dueAt: '2024-05-03T09:00:00Z' },
      'system',
    );
    spec
      .given([p1])
      .when(overdue)
      .thenMatches({
        promises: [
          { status: 'overdue', becameOverdueAt: '2024-05-03T09:00:00Z', overdueRecordedFor: '2024-05-03T09:00:00Z' },
        ],
        counts: { overdue: 1 },
      });
    spec
      .given([p1, overdue])
      .when(projected('PromiseKept', '2024-05-05T09:00:00Z', { customerId: 'c1', promiseId: 'p1', keptBy: 'agent-1' }))
      .thenMatches({ promises: [{ status: 'kept_late' }], counts: { overdue: 0, keptLate: 1 } });
  });

  it('given an overdue dated at its due date but noticed days later, after a later touchpoint of another promise, then the fold equals the business-time fold', () => {
    const noticedLate = projected(
      'PromiseBecameOverdue',
      '2024-05-03T09:00:00Z',
      { customerId: 'c1', promiseId: 'p1', dueAt: '2024-05-03T09:00:00Z' },
      'system',
    );
    const streamOrder = [
      made('p1', '2024-05-01T09:00:00Z', '2024-05-03T09:00:00Z'),
      made('p2', '2024-05-04T09:00:00Z', '2024-05-20T09:00:00Z'),
      projected('PromiseKept', '2024-05-06T09:00:00Z', { customerId: 'c1', promiseId: 'p2', keptBy: 'agent-1' }),
      { ...noticedLate, metadata: { ...noticedLate.metadata, recordedAt: '2024-05-24T09:00:00Z' } },
    ];
    const byBusinessTime = [...streamOrder].sort(
      (a, b) => Date.parse(a.metadata.occurredAt) - Date.parse(b.metadata.occurredAt),
    );
    expect(byBusinessTime.map((e) => e.type)).not.toEqual(streamOrder.map((e) => e.type));
    const doc = promises(...streamOrder);
    expect(doc).toEqual(promises(...byBusinessTime));
    expect(doc.promises.map((p) => [p.promiseId, p.status, p.becameOverdueAt])).toEqual([
      ['p1', 'overdue', '2024-05-03T09:00:00Z'],
      ['p2', 'kept_on_time', null],
    ]);
  });

  describe('given steps recorded after the watcher, dated before the due date, then the stream-order fold equals the business-time fold', () => {
    const MADE = '2024-05-01T09:00:00Z';
    const DUE = '2024-05-03T09:00:00Z';
    const noticed = (recordedAt: string) => {
      const event = projected('PromiseBecameOverdue', DUE, { customerId: 'c1', promiseId: 'p1', dueAt: DUE }, 'system');
      return { ...event, metadata: { ...event.metadata, recordedAt } };
    };
    const lateRecorded = (event: ReturnType<typeof projected>) => ({
      ...event,
      metadata: { ...event.metadata, recordedAt: '2024-05-12T09:00:00Z' },
    });
    const byBusinessTime = (events: ReturnType<typeof projected>[]) =>
      [...events].sort((a, b) => Date.parse(a.metadata.occurredAt) - Date.parse(b.metadata.occurredAt));
    const cases = [
      [
        'kept on time',
        projected('PromiseKept', '2024-05-02T09:00:00Z', { customerId: 'c1', promiseId: 'p1', keptBy: 'agent-1' }),
        'kept_on_time',
      ],
      ['broken', projected('PromiseBroken', '2024-05-02T09:00:00Z', { customerId: 'c1', promiseId: 'p1' }), 'broken'],
      [
        'renegotiated to a later date',
        projected('PromiseRenegotiated', '2024-05-02T09:00:00Z', {
          customerId: 'c1',
          promiseId: 'p1',
          previousDueAt: DUE,
          newDueAt: '2024-05-20T09:00:00Z',
        }),
        'open',
      ],
    ] as const;

    it.each(cases)('%s', (_name, step, status) => {
      const streamOrder = [made('p1', MADE, DUE), noticed('2024-05-10T09:00:00Z'), lateRecorded(step)];
      const doc = promises(...streamOrder);
      expect(doc).toEqual(promises(...byBusinessTime(streamOrder)));
      expect(doc.promises[0]).toMatchObject({ status, becameOverdueAt: null, becameOverdueRecordedAt: null });
    });

    it('a step dated after the due date keeps the overdue, with when it became known', () => {
      const kept = projected('PromiseKept', '2024-05-11T09:00:00Z', {
        customerId: 'c1',
        promiseId: 'p1',
        keptBy: 'agent-1',
      });
      const streamOrder = [made('p1', MADE, DUE), noticed('2024-05-10T09:00:00Z'), kept];
      const doc = promises(...streamOrder);
      expect(doc).toEqual(promises(...byBusinessTime(streamOrder)));
      expect(doc.promises[0]).toMatchObject({
        status: 'kept_late',
        becameOverdueAt: DUE,
        becameOverdueRecordedAt: '2024-05-10T09:00:00Z',
      });
    });
  });

  it('ignores events for closed or unknown promises (no change twice)', () => {
    const keptOnTime = [
      made('p1', '2024-05-01T09:00:00Z', '2024-05-03T09:00:00Z'),
      projected('PromiseKept', '2024-05-02T09:00:00Z', { customerId: 'c1', promiseId: 'p1', keptBy: 'agent-1' }),
    ];
    spec
      .given(keptOnTime)
      .when(projected('PromiseBroken', '2024-05-04T09:00:00Z', { customerId: 'c1', promiseId: 'p1' }))
      .thenNothing();
    spec
      .given(keptOnTime)
      .when(projected('PromiseBroken', '2024-05-04T09:00:00Z', { customerId: 'c1', promiseId: 'nope' }))
      .thenNothing();
  });
});

describe('promise deadlines at a given time', () => {
  const doc = promises(
    made('p1', '2024-05-01T09:00:00Z', '2024-05-03T09:00:00Z', 'agent-1'),
    made('p2', '2024-05-01T09:00:00Z', '2024-05-10T09:00:00Z', 'agent-1'),
    made('p3', '2024-05-01T09:00:00Z', '2024-05-30T09:00:00Z', 'agent-2'),
    made('p4', '2024-05-01T09:00:00Z', '2024-05-02T09:00:00Z', 'agent-2'),
    projected('PromiseKept', '2024-05-01T10:00:00Z', { customerId: 'c1', promiseId: 'p4', keptBy: 'agent-2' }),
  );

  it('reads due soon and overdue against now', () => {
    const view = promisesAt(doc, '2024-05-09T10:00:00Z', 48);
    expect(view.promises.map((p) => [p.promiseId, p.status])).toEqual([
      ['p1', 'overdue'],
      ['p2', 'due_soon'],
      ['p3', 'open'],
      ['p4', 'kept_on_time'],
    ]);
    expect(view.counts).toMatchObject({ dueSoon: 1, currentlyOverdue: 1 });
    expect(duePromises([doc], '2024-05-09T10:00:00Z', 48).map((p) => p.promiseId)).toEqual(['p1', 'p2']);
  });

  it('lists the promises needing PromiseBecameOverdue exactly once per deadline', () => {
    expect(promisesNeedingOverdueEvent([doc], '2024-05-02T00:00:00Z')).toEqual([]);
    expect(promisesNeedingOverdueEvent([doc], '2024-05-03T09:00:00Z')).toEqual([
      { customerId: 'c1', promiseId: 'p1', dueAt: '2024-05-03T09:00:00Z' },
    ]);
    const recorded = evolvePromiseFulfilment(
      doc,
      projected(
        'PromiseBecameOverdue',
        '2024-05-03T09:00:00Z',
        { customerId: 'c1', promiseId: 'p1', dueAt: '2024-05-03T09:00:00Z' },
        'system',
      ),
    ) as PromiseFulfilmentDoc;
    expect(promisesNeedingOverdueEvent([recorded], '2024-05-04T00:00:00Z')).toEqual([]);
    // A renegotiated deadline is a new deadline: it is watched again.
    const renegotiated = evolvePromiseFulfilment(
      recorded,
      projected('PromiseRenegotiated', '2024-05-04T00:00:00Z', {
        customerId: 'c1',
        promiseId: 'p1',
        previousDueAt: '2024-05-03T09:00:00Z',
        newDueAt: '2024-05-06T00:00:00Z',
      }),
    ) as PromiseFulfilmentDoc;
    expect(renegotiated.promises[0]?.status).toBe('open');
    expect(promisesNeedingOverdueEvent([renegotiated], '2024-05-05T00:00:00Z')).toEqual([]);
    expect(promisesNeedingOverdueEvent([renegotiated], '2024-05-06T00:00:00Z')).toEqual([
      { customerId: 'c1', promiseId: 'p1', dueAt: '2024-05-06T00:00:00Z' },
    ]);
  });

  it('aggregates rates per agent who made the promise', () => {
    expect(agentPromiseRates([doc], '2024-05-09T10:00:00Z')).toEqual([
      {
        agentId: 'agent-1',
        made: 2,
        keptOnTime: 0,
        keptLate: 0,
        broken: 0,
        cancelled: 0,
        open: 2,
        currentlyOverdue: 1,
        keptOnTimeRate: null,
        keptRate: null,
        brokenRate: null,
      },
      {
        agentId: 'agent-2',
        made: 2,
        keptOnTime: 1,
        keptLate: 0,
        broken: 0,
        cancelled: 0,
        open: 1,
        currentlyOverdue: 0,
        keptOnTimeRate: 1,
        keptRate: 1,
        brokenRate: 0,
      },
    ]);
  });
});
