import { MemoryEventStore } from '@rapport/event-store';
import { MemoryReadStore, type Doc } from '@rapport/read-store';
import {
  customerProfileProjection,
  type CustomerProfile,
} from '@rapport/projections/customer-profile/customer-profile.projection';
import type { Projection } from '../projection';
import { makeEvent, passThroughDecoder, seedHistory } from '../testing/history';
import { ProjectionRunner } from './projection-runner';
import type { ProjectionRunnerOptions } from './runner-options';

const at = (day: number): Date => new Date(Date.UTC(2024, 0, day));
const registered = (id: string) =>
  makeEvent(
    'CustomerRegistered',
    {
      customerId: id,
      name: 'n',
      acquisitionChannel: 'web',
      acquisitionCost: 1,
      region: 'r',
      city: 'c',
      demographics: {},
    },
    at(1),
  );
const call = (id: string, day = 2) =>
  makeEvent(
    'CallLogged',
    {
      customerId: id,
      callId: `call-${day}`,
      direction: 'inbound',
      durationSeconds: 1,
      agentId: 'a',
      topic: 't',
      outcome: 'resolved',
    },
    at(day),
    'phone',
  );

/** Counts calls; throws on calls whose topic is "poison" until `fixed`. */
function callCounter(version = 1, state = { fixed: false }): Projection<Doc & { calls: number }> {
  return {
    name: 'call-counter',
    version,
    handles: ['CallLogged'],
    indexes: [{ fields: ['calls'] }],
    evolve: (doc, event) => {
      if (event.type !== 'CallLogged') return doc;
      if (event.data.topic === 'poison' && !state.fixed) throw new Error('cannot handle poison');
      return { id: event.data.customerId, calls: (doc?.calls ?? 0) + 1 };
    },
  };
}

async function allDocs(store: MemoryReadStore, collection: string): Promise<Doc[]> {
  const docs: Doc[] = [];
  for await (const doc of store.scan(collection)) docs.push(doc);
  return docs;
}

describe('ProjectionRunner', () => {
  let events: MemoryEventStore;
  let reads: MemoryReadStore;
  let runner: ProjectionRunner | undefined;
  const make = (projections: Projection[], extra: Partial<ProjectionRunnerOptions> = {}) =>
    (runner = new ProjectionRunner({
      eventStore: events,
      readStore: reads,
      decoder: passThroughDecoder,
      projections,
      batchSize: 50,
      retry: { attempts: 2, baseDelayMs: 1 },
      ...extra,
    }));

  beforeEach(() => {
    events = new MemoryEventStore();
    reads = new MemoryReadStore();
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await events.close();
  });

  it('catches up a history in batches, then follows new appends live', async () => {
    await seedHistory(events, 20, 15);
    const progress: number[] = [];
    const r = make([customerProfileProjection], { onProgress: (p) => progress.push(p.position) });
    await r.start();
    const head = await events.headPosition();
    expect(await r.waitFor('customer-profile', head)).toBe(true);
    expect(progress.length).toBeGreaterThan(3);
    const collection = r.liveCollection('customer-profile');
    expect(await reads.count(collection)).toBe(20);

    await events.appendToStream('customer-new', [registered('new'), call('new')]);
    expect(await r.waitFor('customer-profile', head + 2)).toBe(true);
    const profile = await reads.get<CustomerProfile>(collection, 'new');
    expect(profile?.touchpoints).toEqual({ total: 1, byType: { call: 1 }, byChannel: { phone: 1 } });

    const [status] = await r.status();
    expect(status).toMatchObject({
      name: 'customer-profile',
      version: 1,
      checkpoint: head + 2,
      eventsBehind: 0,
      secondsBehind: 0,
      state: 'live',
      parked: 0,
    });
  });

  it('ends equal to a from-scratch build after stopping and restarting part way', async () => {
    await seedHistory(events, 30, 10);
    const head = await events.headPosition();
    const first = make([customerProfileProjection], { batchSize: 7 });
    let commits = 0;
    const stopped = new Promise<void>((resolve) => {
      first['ctx'].onProgress = () => {
        if (++commits === 5) resolve();
      };
    });
    await first.start();
    await stopped;
    await first.stop();
    const partial = await reads.getCheckpoint('customer-profile_v1');
    expect(partial).toBeLessThan(head);

    const second = make([customerProfileProjection]);
    await second.start();
    expect(await second.waitFor('customer-profile', head)).toBe(true);
    await second.stop();

    const fresh = new MemoryReadStore();
    const scratch = new ProjectionRunner({
      eventStore: events,
      readStore: fresh,
      decoder: passThroughDecoder,
      projections: [customerProfileProjection],
    });
    await scratch.start();
    expect(await scratch.waitFor('customer-profile', head)).toBe(true);
    await scratch.stop();
    expect(await allDocs(reads, 'customer-profile_v1')).toEqual(await allDocs(fresh, 'customer-profile_v1'));
  });

  it('parks a poison event after bounded retries, goes on, and replays it after a fix', async () => {
    const state = { fixed: false };
    const poison = makeEvent(
      'CallLogged',
      {
        customerId: 'a',
        callId: 'p',
        direction: 'inbound',
        durationSeconds: 1,
        agentId: 'x',
        topic: 'poison',
        outcome: 'resolved',
      },
      at(3),
    );
    await events.appendToStream('customer-a', [registered('a'), call('a', 2), poison, call('a', 4)]);
    const r = make([callCounter(1, state)]);
    await r.start();
    expect(await r.waitFor('call-counter', 4)).toBe(true);
    const collection = r.liveCollection('call-counter');
    expect(await reads.get(collection, 'a')).toEqual({ id: 'a', calls: 2 });

    const parked = await r.parked('call-counter');
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({
      position: 3,
      eventType: 'CallLogged',
      attempts: 2,
      error: 'Error: cannot handle poison',
      streamId: 'customer-a',
    });
    expect((await r.status())[0]?.parked).toBe(1);

    expect((await r.replayParked('call-counter')).stillFailing).toHaveLength(1);
    state.fixed = true;
    const result = await r.replayParked('call-counter');
    expect(result.replayed).toEqual([parked[0]?.id]);
    expect(await reads.get(collection, 'a')).toEqual({ id: 'a', calls: 3 });
    expect(await r.parked('call-counter')).toEqual([]);

    await events.appendToStream('customer-a', [call('a', 5)]);
    expect(await r.waitFor('call-counter', 5)).toBe(true);
    expect(await reads.get(collection, 'a')).toEqual({ id: 'a', calls: 4 });
  });

  it('parks an event the decoder cannot open, and goes on', async () => {
    await events.appendToStream('customer-b', [registered('b'), call('b', 2), call('b', 3)]);
    const r = make([callCounter()], {
      decoder: async (stored) => {
        if (stored.position === 2) throw new Error('key store unavailable');
        return passThroughDecoder(stored);
      },
    });
    await r.start();
    expect(await r.waitFor('call-counter', 3)).toBe(true);
    expect(await reads.get(r.liveCollection('call-counter'), 'b')).toEqual({ id: 'b', calls: 1 });
    expect((await r.parked('call-counter')).map((p) => p.error)).toEqual(['Error: key store unavailable']);
  });

  it('builds a new version in a shadow collection and switches only when caught up', async () => {
    await seedHistory(events, 10, 10);
    const v1 = make([callCounter(1)]);
    await v1.start();
    const head = await events.headPosition();
    await v1.waitFor('call-counter', head);
    const v1Docs = await allDocs(reads, 'call-counter_v1');
    await v1.stop();

    const seen: string[] = [];
    const v2 = make([callCounter(2)], {
      batchSize: 5,
      onProgress: () => {
        // While the shadow builds, queries still resolve the complete version 1.
        seen.push(v2.liveCollection('call-counter'));
      },
    });
    await v2.start();
    const statusDuring = await v2.status();
    expect(statusDuring[0]?.state).toBe('rebuilding');
    await v2['running'].get('call-counter')?.switched;
    expect(seen).toContain('call-counter_v1');
    const live = v2.liveCollection('call-counter');
    expect(live).toMatch(/^call-counter_v2/);
    expect(await allDocs(reads, live)).toEqual(v1Docs);
    expect(await reads.count('call-counter_v1')).toBe(0);
    expect(await reads.getCheckpoint('call-counter_v1')).toBeNull();
    await events.appendToStream('customer-z', [call('z')]);
    expect(await v2.waitFor('call-counter', head + 1)).toBe(true);
    expect(await reads.get(live, 'z')).toEqual({ id: 'z', calls: 1 });
  });

  it('rebuilds on request while appends continue, and the switched model misses nothing', async () => {
    await seedHistory(events, 10, 20);
    const r = make([customerProfileProjection], { batchSize: 20 });
    await r.start();
    await r.waitFor('customer-profile', await events.headPosition());
    const before = r.liveCollection('customer-profile');

    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing || i < 5; i++) {
        await events.appendToStream(`customer-w${i % 3}`, [
          i < 3 ? registered(`w${i % 3}`) : call(`w${i % 3}`, 2 + (i % 20)),
        ]);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await r.rebuild('customer-profile');
    writing = false;
    await writer;
    const after = r.liveCollection('customer-profile');
    expect(after).not.toBe(before);
    const head = await events.headPosition();
    expect(await r.waitFor('customer-profile', head)).toBe(true);

    const fresh = new MemoryReadStore();
    const scratch = new ProjectionRunner({
      eventStore: events,
      readStore: fresh,
      decoder: passThroughDecoder,
      projections: [customerProfileProjection],
    });
    await scratch.start();
    await scratch.waitFor('customer-profile', head);
    await scratch.stop();
    expect(await allDocs(reads, after)).toEqual(await allDocs(fresh, scratch.liveCollection('customer-profile')));
    expect(await reads.count(before)).toBe(0);
  });

  it('skips events a document has already applied (a replay after a crash between documents and checkpoint)', async () => {
    await events.appendToStream('customer-c', [registered('c'), call('c', 2), call('c', 3)]);
    const r = make([callCounter()]);
    await r.start();
    await r.waitFor('call-counter', 3);
    await r.stop();
    // As on MongoDB after a crash: documents written, checkpoint not.
    await reads.commit([], { name: 'call-counter_v1', position: 1 });
    const again = make([callCounter()]);
    await again.start();
    await again.waitFor('call-counter', 3);
    expect(await reads.get('call-counter_v1', 'c')).toEqual({ id: 'c', calls: 2 });
  });
});
