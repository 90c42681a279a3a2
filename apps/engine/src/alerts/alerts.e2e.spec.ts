import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { AlertWatcher, generateSecret, ProjectionsService } from '@rapport/application';
import { startTestEngine, storedEvents, type TestEngine } from '../../test/engine-test-app';
import { at, purchase, registration } from '../../test/touchpoint-requests';
import { READ_MODELS } from '@rapport/projections/read-models';
import { TestReceiver } from '@rapport/application/webhooks/test-receiver';

jest.setTimeout(60_000);

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('alerts as events: sentiment drops and lifecycle stage changes, recorded once, delivered like any event', () => {
  let engine: TestEngine;
  let receiver: TestReceiver;
  let watcher: AlertWatcher;

  beforeAll(async () => {
    engine = await startTestEngine({
      SQLITE_SYNCHRONOUS: 'NORMAL',
      SCORING_INTERVAL_SECONDS: '0',
      DEADLINE_WATCH_INTERVAL_SECONDS: '0',
      WEBHOOK_RETRY_INITIAL_MS: '20',
    });
    watcher = engine.app.get(AlertWatcher);
    const secret = generateSecret();
    receiver = new TestReceiver(secret);
    await receiver.up();
    const created = await engine.request('admin', {
      method: 'POST',
      url: '/webhooks',
      payload: { url: receiver.url, secret, categories: ['alerts'] },
    });
    expect(created.statusCode).toBe(201);
  });
  afterAll(async () => {
    await engine.close();
    await receiver.down();
  });

  const caughtUp = async (name: string) => {
    const head = await engine.app.get<EventStore>(EVENT_STORE).headPosition();
    await engine.app.get(ProjectionsService).waitFor(name, head, 10_000);
  };

  it('given a customer whose survey scores fall, when the watcher passes, then SentimentDropped is recorded once, dated at the survey that took the mean past the threshold, and reaches the alerts webhook', async () => {
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('s1') });
    const scores = [10, 10, 10, 10, 10, 0, 0, 0];
    for (const [i, score] of scores.entries()) {
      const response = await engine.request('agent', {
        method: 'POST',
        url: '/customers/s1/surveys',
        payload: { surveyId: `q-${i}`, kind: 'nps', score, occurredAt: at(2 + i) },
      });
      expect(response.statusCode).toBe(201);
    }
    await caughtUp(READ_MODELS.sentimentTimeline.name);

    const first = await watcher.pass(new Date());
    expect(first.sentimentDrops.recorded).toBe(1);
    const again = await watcher.pass(new Date());
    expect(again.sentimentDrops.recorded).toBe(0);

    const drops = (await storedEvents(engine, 'customer-s1')).filter((e) => e.type === 'SentimentDropped');
    expect(drops).toHaveLength(1);
    const drop = drops[0]!;
    // Rolling mean over 5 answers (NPS 10 → 1, 0 → -1): 1.0 high, 0.6 after day 7 (0.4 below: not past the
    // threshold), 0.2 after day 8 (0.8 below): the drop is dated at day 8's answer, not at the pass.
    expect(drop.metadata.occurredAt).toBe(at(8));
    expect(drop.metadata.actor).toEqual({ id: 'alert-watcher', role: 'system' });
    expect(drop.data).toMatchObject({ customerId: 's1', amount: expect.any(Number), positions: expect.any(Array) });
    expect(drop.data.amount as number).toBeGreaterThan(0.4);

    await until(() => receiver.accepted.some((h) => h.event.type === 'SentimentDropped'), 'the alert at the webhook');
    expect(receiver.accepted.find((h) => h.event.type === 'SentimentDropped')!.webhookId).toBe(drop.metadata.eventId);
  });

  it('given scoring runs that put a customer in another stage, then LifecycleStageChanged is recorded from the stage before, dated when the new one began; the first run only sets the starting stages', async () => {
    await engine.request('agent', { method: 'POST', url: '/customers', payload: registration('l1') });
    await engine.request('agent', { method: 'POST', url: '/customers/l1/purchases', payload: purchase('o-1', 2) });
    await engine.request('agent', { method: 'POST', url: '/customers/l1/purchases', payload: purchase('o-2', 5) });
    for (const name of Object.values(READ_MODELS).map((model) => model.name)) await caughtUp(name);

    expect(
      (await engine.request('admin', { method: 'POST', url: '/projections/scoring/run?asOf=2026-01-10T00:00:00.000Z' }))
        .statusCode,
    ).toBe(200);
    const seeded = await watcher.pass(new Date());
    expect(seeded.stageChanges.seeded).toBeGreaterThan(0);
    expect(seeded.stageChanges.recorded).toBe(0);

    expect(
      (await engine.request('admin', { method: 'POST', url: '/projections/scoring/run?asOf=2026-10-01T00:00:00.000Z' }))
        .statusCode,
    ).toBe(200);
    const changed = await watcher.pass(new Date());
    expect(changed.stageChanges.recorded).toBeGreaterThan(0);
    const stages = (await storedEvents(engine, 'customer-l1')).filter((e) => e.type === 'LifecycleStageChanged');
    expect(stages).toHaveLength(1);
    const change = stages[0]!;
    expect(change.data.from).not.toBe(change.data.to);
    expect(change.data.run).toEqual(expect.any(String));
    expect(Date.parse(change.metadata.occurredAt as string)).toBeLessThanOrEqual(
      Date.parse('2026-10-01T00:00:00.000Z'),
    );
    expect(Date.parse(change.metadata.occurredAt as string)).toBeGreaterThan(Date.parse(at(5)));

    // The same run again changes nothing.
    expect((await watcher.pass(new Date())).stageChanges.recorded).toBe(0);
    await until(
      () =>
        receiver.accepted.some((h) => h.event.type === 'LifecycleStageChanged' && h.event.streamId === 'customer-l1'),
      'the stage change at the webhook',
    );
  });
});
