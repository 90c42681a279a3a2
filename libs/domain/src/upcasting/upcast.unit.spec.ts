import {
  CURRENT_SCHEMA_VERSIONS,
  CUSTOMER_EVENT_TYPES,
  UpcastError,
  upcast,
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

  it('has a current version for every event type, and CallLogged is at 2', () => {
    expect(Object.keys(CURRENT_SCHEMA_VERSIONS).sort()).toEqual([...CUSTOMER_EVENT_TYPES].sort());
    expect(CURRENT_SCHEMA_VERSIONS.CallLogged).toBe(2);
  });
});
