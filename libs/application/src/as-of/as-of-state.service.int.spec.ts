import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventToAppend } from '@rapport/event-store';
import { MemoryKeyStore, PersonalDataCipher, type CipherableEvent } from '@rapport/personal-data';
import { evolve, initialState, upcast, type CustomerState, DAY_MS } from '@rapport/domain';
import type { Doc } from '@rapport/read-store';
import type { SentimentTimelineDoc } from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';
import { createProjectionDecoder } from '../projections/projection-decoder';
import { PersonalDataReader } from '../personal-data/personal-data-reader';
import { SealedDataRevealer } from '../personal-data/sealed-data-revealer';
import { AS_OF_READ_MODELS } from '@rapport/projections/read-models';
import { AsOfStateService } from './as-of-state.service';

const CUSTOMER = 'asof-1';
/** A customer whose stream is longer than the runs the replay folds at a time. */
const LONG = 'asof-long';
const T0 = Date.UTC(2024, 0, 1);
const NOTES = [
  'great service, thank you',
  'the delivery was late again',
  '服务很好，送货很快',
  'Customer asked for the invoice.',
];

const meta = (day: number, schemaVersion = 1) => {
  const at = new Date(T0 + day * DAY_MS).toISOString();
  return {
    eventId: randomUUID(),
    occurredAt: at,
    recordedAt: at,
    actor: { id: 'agent-1', role: 'agent' },
    channel: 'phone',
    correlationId: randomUUID(),
    causationId: null,
    schemaVersion,
  };
};

/** A registration, then purchases, refunds, calls with notes and surveys with comments; some recorded out of business order. */
function history(customerId: string, length = 240): EventToAppend[] {
  const events: EventToAppend[] = [
    {
      type: 'CustomerRegistered',
      data: {
        customerId,
        name: 'Ann',
        email: 'ann@example.com',
        acquisitionChannel: 'web',
        acquisitionCost: 10,
        region: 'East',
        city: 'Shanghai',
        demographics: {},
      },
      metadata: meta(0),
    },
  ];
  for (let i = 1; i < length; i++) {
    const day = i % 9 === 0 ? i - 30 : i; // every ninth event happened a month before it was recorded
    if (i % 4 === 0)
      events.push({
        type: 'CallLogged',
        data: {
          customerId,
          callId: `k-${i}`,
          direction: 'inbound',
          durationSeconds: 60,
          agentId: 'agent-1',
          topic: 'delivery',
          outcome: 'resolved',
          notes: NOTES[i % NOTES.length],
        },
        metadata: meta(day, 2),
      });
    else if (i % 4 === 1)
      events.push({
        type: 'SurveyResponded',
        data: {
          customerId,
          surveyId: `s-${i}`,
          kind: 'csat',
          score: 1 + (i % 5),
          comment: NOTES[(i + 1) % NOTES.length],
        },
        metadata: meta(day),
      });
    else if (i % 13 === 0)
      events.push({
        type: 'PurchaseRefunded',
        data: { customerId, orderId: `o-${i - 1}`, refundId: `r-${i}`, amount: 5, currency: 'CNY' },
        metadata: meta(day),
      });
    else
      events.push({
        type: 'PurchaseRecorded',
        data: {
          customerId,
          orderId: `o-${i}`,
          lines: [{ sku: 'b', category: 'books', quantity: 1, unitPrice: 20 }],
          total: 20,
          currency: 'CNY',
        },
        metadata: meta(day),
      });
  }
  return events;
}

describe('AsOfStateService on SQLite', () => {
  let dir: string;
  let store: SqliteEventStore;
  let keys: MemoryKeyStore;
  let revealer: SealedDataRevealer;
  let service: AsOfStateService;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-asof-'));
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    keys = new MemoryKeyStore();
    const cipher = new PersonalDataCipher();
    for (const [customerId, length] of [
      [CUSTOMER, 240],
      [LONG, 2600],
    ] as const) {
      const key = await keys.getOrCreateKey(customerId);
      const events = history(customerId, length).map(
        (e) => cipher.encrypt(e as unknown as CipherableEvent, key) as unknown as EventToAppend,
      );
      for (let i = 0; i < events.length; i += 500)
        await store.appendToStream(`customer-${customerId}`, events.slice(i, i + 500));
    }
    revealer = new SealedDataRevealer(new PersonalDataReader(keys));
    service = new AsOfStateService(store, keys, revealer);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every per-customer read model as the runner builds it (its decoder, each projection's evolve), revealed to an auditor. */
  async function foldedByEvolve(asOf: string, customerId = CUSTOMER): Promise<Record<string, Doc | null>> {
    const decode = createProjectionDecoder(keys);
    const docs: Record<string, Doc | null> = Object.fromEntries(AS_OF_READ_MODELS.map(({ asOf }) => [asOf.name, null]));
    for await (const stored of store.readStream(`customer-${customerId}`)) {
      if (Date.parse(stored.metadata['occurredAt'] as string) > Date.parse(asOf)) continue;
      for (const {
        asOf: { name },
        projection,
      } of AS_OF_READ_MODELS) {
        if (projection.handles.includes(stored.type as never))
          docs[name] = projection.evolve(docs[name] ?? null, (await decode(stored))!);
      }
    }
    return revealer.reveal('auditor', customerId, docs);
  }

  /** The decider state folded with the domain's pure evolve over the events that occurred by `asOf`. */
  async function deciderByEvolve(asOf: string, customerId: string): Promise<CustomerState> {
    let state = initialState();
    for await (const stored of store.readStream(`customer-${customerId}`)) {
      if (Date.parse(stored.metadata['occurredAt'] as string) <= Date.parse(asOf))
        state = evolve(state, upcast(stored));
    }
    return state;
  }

  it.each([20, 120, 400])(
    'gives the read models the runner builds, as of day %i (late-recorded events included)',
    async (day) => {
      const asOf = new Date(T0 + day * DAY_MS).toISOString();
      const state = await service.stateOf(CUSTOMER, 'auditor', asOf);
      expect(state!.readModels).toEqual(await foldedByEvolve(asOf));
      expect(state!.readModels['sentiment']).toMatchObject({
        customerId: CUSTOMER,
        count: expect.any(Number),
        trend: expect.any(String),
      });
    },
  );

  it('replays a stream longer than the runs it folds at a time as the runner and the decider fold it event by event', async () => {
    const asOf = new Date(T0 + 2000 * DAY_MS).toISOString();
    const state = await service.stateOf(LONG, 'auditor', asOf);
    expect(state!.eventsInStream).toBe(2600);
    expect(state!.eventsApplied).toBeGreaterThan(1900);
    expect(state!.eventsApplied).toBeLessThan(2600);
    expect(state!.readModels).toEqual(await foldedByEvolve(asOf, LONG));
    expect(state!.decider).toEqual(await deciderByEvolve(asOf, LONG));
    expect(
      (state!.readModels['sentiment'] as SentimentTimelineDoc).moments.filter((m) => m.kind === 'text').length,
    ).toBeGreaterThan(500);
    const analyst = await service.stateOf(LONG, 'analyst', asOf);
    expect(analyst!.readModels['profile']).toMatchObject({ personal: { name: '[redacted]', email: '[redacted]' } });
    expect({ ...analyst!.readModels, profile: null }).toEqual({ ...state!.readModels, profile: null });
    expect(JSON.stringify(analyst)).not.toMatch(/Ann|ann@example/);
  });

  it('reveals the profile to auditors, redacts it for other roles, and computes the same sentiment for every role', async () => {
    const auditor = await service.stateOf(CUSTOMER, 'auditor');
    const analyst = await service.stateOf(CUSTOMER, 'analyst');
    expect(auditor!.readModels['profile']).toMatchObject({
      personal: { name: 'Ann', email: 'ann@example.com', phone: null, address: null },
    });
    expect(analyst!.readModels['profile']).toMatchObject({
      personal: { name: '[redacted]', email: '[redacted]', phone: null, address: null },
    });
    expect(JSON.stringify(analyst)).not.toMatch(/Ann|ann@example/);
    expect(analyst!.readModels['sentiment']).toEqual(auditor!.readModels['sentiment']);
    expect(
      (auditor!.readModels['sentiment'] as SentimentTimelineDoc).moments.filter((m) => m.kind === 'text').length,
    ).toBeGreaterThan(0);
  });

  // Last: it destroys the customer's key.
  it('reads personal data as [erased] once the key is destroyed, and scores no erased text', async () => {
    await keys.destroyKey(CUSTOMER);
    const state = await service.stateOf(CUSTOMER, 'auditor');
    expect(state!.readModels['profile']).toMatchObject({ personal: { name: '[erased]', email: '[erased]' } });
    expect((state!.readModels['sentiment'] as SentimentTimelineDoc).moments.every((m) => m.kind !== 'text')).toBe(true);
  });
});
