import type { CustomerEvent } from '@rapport/domain';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { evolveCustomerProfile, type CustomerProfile } from './customer-profile.projection';

let position = 0;
function event<T extends CustomerEvent['type']>(
  type: T,
  data: Extract<CustomerEvent, { type: T }>['data'],
  occurredAt: string,
  channel = 'web',
  sealed?: Record<string, string>,
): ProjectedEvent {
  position++;
  return {
    type,
    data,
    ...(sealed ? { sealed } : {}),
    metadata: {
      eventId: `e${position}`,
      occurredAt,
      recordedAt: occurredAt,
      actor: { id: 'a', role: 'agent' },
      channel,
      correlationId: 'c',
      causationId: null,
      schemaVersion: 1,
    },
    streamId: 'customer-c1',
    revision: position - 1,
    position,
  } as ProjectedEvent;
}

const fold = (events: ProjectedEvent[]): CustomerProfile | null =>
  events.reduce<CustomerProfile | null>(evolveCustomerProfile, null);
const c = 'c1';
const registered = event(
  'CustomerRegistered',
  // Decoded data, as the projection receives it, with the sealed (stored) form of each personal field.
  {
    customerId: c,
    name: 'Li Lei',
    email: 'li@example.com',
    acquisitionChannel: 'wechat',
    acquisitionCost: 12,
    region: 'east',
    city: 'Shanghai',
    demographics: { ageBand: '30s', gender: 'f' },
  },
  '2024-01-01T00:00:00.000Z',
  'wechat',
  { name: 'enc:name', email: 'enc:mail' },
);

describe('customer-profile projection', () => {
  it('given a registration, then the profile keeps the sealed personal fields (never plaintext), region, demographics and acquisition', () => {
    expect(JSON.stringify(fold([registered]))).not.toMatch(/Li Lei|li@example\.com/);
    expect(fold([registered])).toMatchObject({
      id: c,
      registered: true,
      registeredAt: '2024-01-01T00:00:00.000Z',
      personal: { name: 'enc:name', email: 'enc:mail', phone: null, address: null },
      region: 'east',
      city: 'Shanghai',
      demographics: { ageBand: '30s', gender: 'f' },
      acquisition: { channel: 'wechat', cost: 12 },
      touchpoints: { total: 0, byType: {}, byChannel: {} },
      erased: false,
    });
  });

  it('given touchpoints, then counts them by type and channel with first and last times', () => {
    const profile = fold([
      registered,
      event(
        'PurchaseRecorded',
        { customerId: c, orderId: 'o1', lines: [], total: 5, currency: 'EUR' },
        '2024-02-01T00:00:00.000Z',
        'store',
      ),
      event(
        'CallLogged',
        {
          customerId: c,
          callId: 'k',
          direction: 'inbound',
          durationSeconds: 3,
          agentId: 'a',
          topic: 't',
          outcome: 'resolved',
        },
        '2024-01-15T00:00:00.000Z',
        'phone',
      ),
      event(
        'SurveyResponded',
        { customerId: c, surveyId: 's', kind: 'nps', score: 9 },
        '2024-03-01T00:00:00.000Z',
        'email',
      ),
      event(
        'PromiseBecameOverdue',
        { customerId: c, promiseId: 'x', dueAt: '2024-03-02T00:00:00.000Z' },
        '2024-03-02T00:00:00.000Z',
        'system',
      ),
    ]);
    expect(profile?.touchpoints).toEqual({
      total: 3,
      byType: { purchase: 1, call: 1, survey: 1 },
      byChannel: { store: 1, phone: 1, email: 1 },
    });
    expect(profile?.firstTouchpointAt).toBe('2024-01-15T00:00:00.000Z');
    expect(profile?.lastTouchpointAt).toBe('2024-03-01T00:00:00.000Z');
  });

  it('given promises and complaints opened and closed, then counts those still open', () => {
    const t = '2024-02-01T00:00:00.000Z';
    const profile = fold([
      registered,
      event(
        'PromiseMade',
        { customerId: c, promiseId: 'p1', description: 'enc', dueAt: t, madeBy: 'a', withinPolicy: true },
        t,
      ),
      event(
        'PromiseMade',
        { customerId: c, promiseId: 'p2', description: 'enc', dueAt: t, madeBy: 'a', withinPolicy: true },
        t,
      ),
      event('PromiseRenegotiated', { customerId: c, promiseId: 'p2', previousDueAt: t, newDueAt: t }, t),
      event('PromiseKept', { customerId: c, promiseId: 'p1', keptBy: 'a' }, t),
      event(
        'ComplaintFiled',
        { customerId: c, complaintId: 'k1', category: 'x', severity: 'high', description: 'enc' },
        t,
      ),
      event('ComplaintResolved', { customerId: c, complaintId: 'k1', by: 'a', resolution: 'enc' }, t),
      event('ComplaintReopened', { customerId: c, complaintId: 'k1' }, t),
      event(
        'ComplaintFiled',
        { customerId: c, complaintId: 'k2', category: 'x', severity: 'low', description: 'enc' },
        t,
      ),
    ]);
    expect(profile).toMatchObject({
      openPromises: 1,
      openPromiseIds: ['p2'],
      openComplaints: 2,
      openComplaintIds: ['k1', 'k2'],
    });
  });

  it('given a profile update, then merges the changes', () => {
    const profile = fold([
      registered,
      event(
        'CustomerProfileUpdated',
        { customerId: c, changes: { phone: '+86 1', city: 'Hangzhou', demographics: { incomeBand: 'high' } } },
        '2024-02-01T00:00:00.000Z',
        'web',
        { 'changes.phone': 'enc:phone' },
      ),
    ]);
    expect(profile).toMatchObject({
      personal: { name: 'enc:name', email: 'enc:mail', phone: 'enc:phone', address: null },
      city: 'Hangzhou',
      region: 'east',
      demographics: { ageBand: '30s', gender: 'f', incomeBand: 'high' },
    });
  });

  it('given personal data without its sealed form, then keeps none of it', () => {
    const unsealed = event(
      'CustomerRegistered',
      { ...registered.data, customerId: 'c2' } as never,
      '2024-01-01T00:00:00.000Z',
    );
    expect(fold([unsealed])?.personal).toEqual({ name: null, email: null, phone: null, address: null });
  });

  it('given an erasure, then flags the profile and keeps no personal data', () => {
    const profile = fold([
      registered,
      event('CustomerErased', { customerId: c, reason: 'request' }, '2024-05-01T00:00:00.000Z'),
    ]);
    expect(profile).toMatchObject({
      erased: true,
      erasedAt: '2024-05-01T00:00:00.000Z',
      personal: null,
      region: 'east',
    });
  });

  it('never changes the document it is given (each is frozen before the next event)', () => {
    const deepFreeze = <T>(value: T): T => {
      if (value && typeof value === 'object')
        for (const inner of Object.values(Object.freeze(value))) deepFreeze(inner);
      return value;
    };
    const t = '2024-02-01T00:00:00.000Z';
    const history = [
      registered,
      event('PurchaseRecorded', { customerId: c, orderId: 'o1', lines: [], total: 5, currency: 'EUR' }, t, 'store'),
      event(
        'PromiseMade',
        { customerId: c, promiseId: 'p1', description: 'enc', dueAt: t, madeBy: 'a', withinPolicy: true },
        t,
      ),
      event(
        'ComplaintFiled',
        { customerId: c, complaintId: 'k1', category: 'x', severity: 'high', description: 'enc' },
        t,
      ),
      event(
        'CustomerProfileUpdated',
        { customerId: c, changes: { city: 'Hangzhou', demographics: { incomeBand: 'high' } } },
        t,
      ),
      event('PromiseKept', { customerId: c, promiseId: 'p1', keptBy: 'a' }, t),
      event('CustomerErased', { customerId: c, reason: 'request' }, t),
    ];
    const frozen = history.reduce<CustomerProfile | null>((doc, e) => deepFreeze(evolveCustomerProfile(doc, e)), null);
    expect(frozen).toEqual(fold(history));
    expect(frozen).toMatchObject({
      touchpoints: { total: 4 },
      openPromises: 0,
      openComplaints: 1,
      city: 'Hangzhou',
      erased: true,
    });
  });
});
