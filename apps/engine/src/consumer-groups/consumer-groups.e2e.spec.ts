import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { startTestEngine, type TestEngine } from '../../test/engine-test-app';
import type { StreamedEvent } from '../streams/sse-frame';

jest.setTimeout(30_000);
const PROBLEM = /^application\/problem\+json/;

const call = (customerId: string, n: number) => ({
  type: 'CallLogged',
  data: {
    customerId,
    callId: `call-${n}`,
    direction: 'inbound',
    durationSeconds: n,
    agentId: 'a',
    topic: 'group',
    outcome: 'resolved',
  },
  metadata: {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    recordedAt: new Date().toISOString(),
    actor: { id: 't', role: 'agent' },
    channel: 'phone',
    correlationId: 'c',
    causationId: null,
    schemaVersion: 2,
  },
});

interface Fetched {
  partitions: number[];
  events: { ackToken: string; partition: number; event: StreamedEvent }[];
}

describe('consumer groups over HTTP (members joining and dying)', () => {
  let engine: TestEngine;
  let store: EventStore;

  beforeAll(async () => {
    engine = await startTestEngine({ SQLITE_SYNCHRONOUS: 'NORMAL', CONSUMER_GROUP_LEASE_SECONDS: '1' });
    store = engine.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(() => engine.close());

  const fetchAs = async (group: string, member: string, max = 50): Promise<Fetched> => {
    const response = await engine.request('subscriber', {
      method: 'POST',
      url: `/consumer-groups/${group}/members/${member}/fetch`,
      payload: { max },
    });
    expect(response.statusCode).toBe(200);
    return response.json() as Fetched;
  };
  const ack = async (group: string, member: string, tokens: string[]) =>
    (
      await engine.request('subscriber', {
        method: 'POST',
        url: `/consumer-groups/${group}/members/${member}/ack`,
        payload: { tokens },
      })
    ).json() as { acked: number; rejected: unknown[] };

  it('refuses bad names and filters as problems, and only admins create groups', async () => {
    const bad = await engine.request('admin', { method: 'PUT', url: '/consumer-groups/Bad Name!', payload: {} });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(PROBLEM);
    const filter = await engine.request('admin', {
      method: 'PUT',
      url: '/consumer-groups/g0',
      payload: { categories: ['nope'] },
    });
    expect(filter.json().errors[0]).toMatchObject({ field: 'categories', rule: 'isIn' });
    expect(
      (await engine.request('subscriber', { method: 'PUT', url: '/consumer-groups/g0', payload: {} })).statusCode,
    ).toBe(403);
    expect(
      (
        await engine.request('subscriber', {
          method: 'POST',
          url: '/consumer-groups/missing/members/m1/fetch',
          payload: {},
        })
      ).statusCode,
    ).toBe(404);
  });

  it('given members joining and one dying, then every event is handled, each customer’s events in order, and the dead member’s unacknowledged events go to the others', async () => {
    const created = await engine.request('admin', {
      method: 'PUT',
      url: '/consumer-groups/crm-sync',
      payload: { eventTypes: ['CallLogged'], partitions: 8, startFrom: 'now' },
    });
    expect(created.statusCode).toBe(201);
    expect(
      (
        await engine.request('admin', {
          method: 'PUT',
          url: '/consumer-groups/crm-sync',
          payload: { eventTypes: ['CallLogged'], partitions: 8, startFrom: 'now' },
        })
      ).statusCode,
    ).toBe(200);
    const customers = Array.from({ length: 24 }, (_, i) => `g${i}`);
    for (let n = 0; n < 5; n++) for (const c of customers) await store.appendToStream(`customer-${c}`, [call(c, n)]);

    const handled: { member: string; event: StreamedEvent }[] = [];
    // m1 alone, then m2 joins, then m3 joins and dies holding events it never acknowledges.
    const first = await fetchAs('crm-sync', 'm1', 20);
    expect(first.partitions).toHaveLength(8);
    handled.push(...first.events.map((e) => ({ member: 'm1', event: e.event })));
    await ack(
      'crm-sync',
      'm1',
      first.events.map((e) => e.ackToken),
    );
    const joined = await fetchAs('crm-sync', 'm2', 1);
    handled.push(...joined.events.map((e) => ({ member: 'm2', event: e.event })));
    await ack(
      'crm-sync',
      'm2',
      joined.events.map((e) => e.ackToken),
    );
    const m3 = await fetchAs('crm-sync', 'm3', 1000);
    expect(m3.partitions.length).toBeGreaterThan(0);
    const status = (await engine.request('subscriber', { method: 'GET', url: '/consumer-groups/crm-sync' })).json();
    const owners = status.partitions.map((p: { owner: string }) => p.owner);
    expect(new Set(owners)).toEqual(new Set(['m1', 'm2', 'm3']));

    const live = async (member: string, until: number) => {
      while (Date.now() < until) {
        const got = await fetchAs('crm-sync', member, 25);
        handled.push(...got.events.map((e) => ({ member, event: e.event })));
        if (got.events.length > 0)
          await ack(
            'crm-sync',
            member,
            got.events.map((e) => e.ackToken),
          );
        else await sleep(50);
      }
    };
    await Promise.all([live('m1', Date.now() + 2500), live('m2', Date.now() + 2500)]);

    const ids = handled.map((h) => h.event.metadata.eventId as string);
    expect(new Set(ids).size).toBe(120);
    const m3Ids = new Set(m3.events.map((e) => e.event.metadata.eventId as string));
    expect(m3Ids.size).toBeGreaterThan(0);
    for (const id of m3Ids) expect(ids).toContain(id);
    // Per customer: handled in revision order, each by one member at a time.
    const byStream = new Map<string, number[]>();
    for (const h of handled)
      byStream.set(h.event.streamId, [...(byStream.get(h.event.streamId) ?? []), h.event.revision]);
    for (const revisions of byStream.values()) expect(revisions).toEqual([...new Set(revisions)].sort((a, b) => a - b));
    const after = (await engine.request('subscriber', { method: 'GET', url: '/consumer-groups/crm-sync' })).json();
    expect(after.members.map((m: { id: string }) => m.id).sort()).toEqual(['m1', 'm2']);
    // m3 comes back after dying: its old tokens are refused.
    expect(
      (
        await ack(
          'crm-sync',
          'm3',
          m3.events.map((e) => e.ackToken),
        )
      ).acked,
    ).toBe(0);
  });
});

describe('a consumer group across two engine instances on one data dir', () => {
  it('is served by one instance at a time: the other answers 409 until the first stops, then serves it from the checkpoints', async () => {
    const env = {
      SQLITE_SYNCHRONOUS: 'NORMAL',
      CONSUMER_GROUP_LEASE_SECONDS: '1',
      SCORING_INTERVAL_SECONDS: '0',
      DEADLINE_WATCH_INTERVAL_SECONDS: '0',
    };
    const a = await startTestEngine(env);
    const b = await startTestEngine({ ...env, DATA_DIR: a.dataDir });
    try {
      expect(
        (
          await a.request('admin', {
            method: 'PUT',
            url: '/consumer-groups/shared',
            payload: { eventTypes: ['CallLogged'], partitions: 4 },
          })
        ).statusCode,
      ).toBe(201);
      const store = a.app.get<EventStore>(EVENT_STORE);
      for (let n = 0; n < 6; n++) await store.appendToStream(`customer-x${n % 3}`, [call(`x${n % 3}`, n)]);
      const fetchOn = (engine: TestEngine) =>
        engine.request('subscriber', {
          method: 'POST',
          url: '/consumer-groups/shared/members/w1/fetch',
          payload: { max: 3 },
        });
      const first = await fetchOn(a);
      expect(first.statusCode).toBe(200);
      const taken = (first.json() as Fetched).events;
      await a.request('subscriber', {
        method: 'POST',
        url: '/consumer-groups/shared/members/w1/ack',
        payload: { tokens: taken.slice(0, 1).map((e) => e.ackToken) },
      });

      const refused = await fetchOn(b);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().detail).toContain('another engine instance');

      await a.app.close(); // releases the group's lease
      const served = await fetchOn(b);
      expect(served.statusCode).toBe(200);
      const again = (served.json() as Fetched).events.map((e) => e.event.metadata.eventId);
      // What a handed out and w1 did not acknowledge comes again from b; the acknowledged one does not.
      for (const e of taken.slice(1)) expect(again).toContain(e.event.metadata.eventId);
      expect(again).not.toContain(taken[0]!.event.metadata.eventId);
    } finally {
      await b.app.close();
      rmSync(a.dataDir, { recursive: true, force: true });
    }
  });
});
