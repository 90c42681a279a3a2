import {
  CURRENT_SCHEMA_VERSIONS,
  CUSTOMER_EVENT_TYPES,
  UpcastError,
  upcast,
  upcastOccurredAt,
  type StoredEventLike,
} from '@rapport/domain';

const metadata = (schemaVersion?: number) => ({
  eventId: 'e-1',
  occurredAt: '2024-01-01T00:00:00Z',
  recordedAt: '2024-01-01T00:00:01Z',
  actor: { id: 'a', role: 'agent' },
  channel: 'phone',
  correlationId: 'x',
  causationId: null,
  ...(schemaVersion === undefined ? {} : { schemaVersion }),
});

const v1Call = (schemaVersion?: number): StoredEventLike => ({
  type: 'CallLogged',
  data: {
    customerId: 'c',
    callId: 'k',
    direction: 'inbound',
    durationMinutes: 2.5,
    agentId: 'a',
    topic: 't',
    outcome: 'resolved',
  },
  metadata: metadata(schemaVersion),
});

describe('upcast', () => {
  it('turns a v1 CallLogged (minutes) into the current v2 (seconds)', () => {
    const event = upcast(v1Call(1));
    expect(event.type).toBe('CallLogged');
    expect(event.data).toEqual({
      customerId: 'c',
      callId: 'k',
      direction: 'inbound',
      durationSeconds: 150,
      agentId: 'a',
      topic: 't',
      outcome: 'resolved',
    });
    expect(event.metadata.schemaVersion).toBe(2);
    expect(event.metadata.eventId).toBe('e-1');
  });

  it('reads an event without schemaVersion as version 1', () => {
    expect(upcast(v1Call()).data).toMatchObject({ durationSeconds: 150 });
  });

  it('leaves the stored event untouched (the hash chain covers its bytes)', () => {
    const stored = v1Call(1);
    const before = JSON.stringify(stored);
    upcast(stored);
    expect(JSON.stringify(stored)).toBe(before);
  });

  it('returns current events as they are', () => {
    const current: StoredEventLike = { ...v1Call(2), data: { customerId: 'c', callId: 'k', durationSeconds: 7 } };
    expect(upcast(current)).toEqual(current);
  });

  it('refuses unknown types and versions it cannot read', () => {
    expect(() => upcast({ ...v1Call(1), type: 'CallDropped' })).toThrow(UpcastError);
    expect(() => upcast(v1Call(3))).toThrow(/schema version 3/);
    expect(() => upcast(v1Call(0))).toThrow(UpcastError);
  });

  it('has a current version for every event type; CallLogged and the deadline events are at 2', () => {
    expect(Object.keys(CURRENT_SCHEMA_VERSIONS).sort()).toEqual([...CUSTOMER_EVENT_TYPES].sort());
    expect(CURRENT_SCHEMA_VERSIONS.CallLogged).toBe(2);
    expect(CURRENT_SCHEMA_VERSIONS.PromiseBecameOverdue).toBe(2);
    expect(CURRENT_SCHEMA_VERSIONS.ComplaintSlaBreached).toBe(2);
  });

  describe('deadline events (v1 dated when noticed, v2 dated at the deadline)', () => {
    const DUE = '2024-01-03T09:00:00.000Z';
    const NOTICED = '2024-01-24T02:00:00.000Z';
    const v1 = (
      type: 'PromiseBecameOverdue' | 'ComplaintSlaBreached',
      data: Record<string, unknown>,
    ): StoredEventLike => ({
      type,
      data: { customerId: 'c', ...data, dueAt: DUE },
      metadata: { ...metadata(1), occurredAt: NOTICED, recordedAt: NOTICED },
    });
    const overdue = v1('PromiseBecameOverdue', { promiseId: 'p' });
    const breach = v1('ComplaintSlaBreached', { complaintId: 'k', sla: 'resolution' });

    it.each([overdue, breach])(
      'given a stored v1 $type, when read, then it occurred at its dueAt and was recorded when noticed',
      (stored) => {
        const before = JSON.stringify(stored);
        const event = upcast(stored);
        expect(event.metadata.occurredAt).toBe(DUE);
        expect(event.metadata.recordedAt).toBe(NOTICED);
        expect(event.metadata.schemaVersion).toBe(2);
        expect(event.data).toEqual(stored.data);
        expect(upcastOccurredAt(stored)).toBe(DUE);
        // Nothing stored is rewritten: the hash chain is over these bytes.
        expect(JSON.stringify(stored)).toBe(before);
      },
    );

    it('reads a v2 deadline event as stored, and its business time as stored', () => {
      const current: StoredEventLike = {
        ...overdue,
        metadata: { ...overdue.metadata, schemaVersion: 2, occurredAt: DUE },
      };
      expect(upcast(current)).toBe(current as unknown);
      expect(upcastOccurredAt(current)).toBe(DUE);
    });

    it('keeps the stored time of a v1 event whose dueAt is unreadable', () => {
      const broken: StoredEventLike = { ...overdue, data: { ...overdue.data, dueAt: 'soon' } };
      expect(upcast(broken).metadata.occurredAt).toBe(NOTICED);
    });

    it('gives the stored business time of events no upcaster dates', () => {
      expect(upcastOccurredAt(v1Call(1))).toBe('2024-01-01T00:00:00Z');
      expect(() => upcastOccurredAt({ ...v1Call(1), type: 'CallDropped' })).toThrow(UpcastError);
    });
  });
});
