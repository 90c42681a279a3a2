import type { EventBus } from '@nestjs/cqrs';
import type { CustomerCommand, HealthBand } from '@rapport/domain';
import { MemoryEventStore, type StoredEvent } from '@rapport/event-store';
import { runAsLeaderJob } from '@rapport/projection-engine';
import { LeaseFencedError } from '@rapport/read-store';
import { CustomerCommandService } from '../command-handling/customer-command.service';
import { CustomerStreamLoader } from '../command-handling/customer-stream-loader';
import type { PersonalDataProtection } from '../command-handling/personal-data-protection';
import { ClockDecisionRecorder, type ClockRule, type DeadlineRule } from './clock-decision-recorder';

const NOW = '2026-03-10T09:00:00.000Z';
const WATCHER = { id: 'test-watcher', role: 'system' } as const;

function setUp() {
  const store = new MemoryEventStore();
  const personalData: PersonalDataProtection = {
    encrypt: async (_customerId, event) => event,
    requestDigest: async () => null,
    destroyKey: async () => undefined,
  };
  const eventBus = { publishAll: () => undefined } as unknown as EventBus;
  const clock = { now: () => new Date(NOW) };
  const commands = new CustomerCommandService(store, new CustomerStreamLoader(store), personalData, clock, eventBus);
  return { store, commands, recorder: new ClockDecisionRecorder(commands) };
}

const register = (customerId: string): CustomerCommand => ({
  type: 'RegisterCustomer',
  customerId,
  occurredAt: '2026-01-01T00:00:00.000Z',
  name: 'Ada',
  acquisitionChannel: 'web',
  acquisitionCost: 10,
  region: 'East',
  city: 'Shanghai',
});

/** A band change the clock decided: dated when the band changed, noticed at NOW. */
interface BandChange {
  customerId: string;
  to: HealthBand;
  changedAt: string;
}

const bandChanges: ClockRule<BandChange> = {
  actor: WATCHER,
  decisionOf: ({ customerId, to, changedAt }) => ({
    command: {
      type: 'RecordHealthBandChange',
      customerId,
      occurredAt: changedAt,
      noticedAt: NOW,
      to,
      score: 40,
      reasons: [],
    },
    idempotencyKey: `band:${customerId}:${to}:${changedAt}`,
  }),
};

async function streamOf(store: MemoryEventStore, customerId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.readStream(`customer-${customerId}`)) events.push(event);
  return events;
}

const changes: BandChange[] = [
  { customerId: 'c1', to: 'at_risk', changedAt: '2026-03-01T00:00:00.000Z' },
  { customerId: 'ghost', to: 'at_risk', changedAt: '2026-03-01T00:00:00.000Z' },
  { customerId: 'c2', to: 'watch', changedAt: '2026-03-05T00:00:00.000Z' },
];

describe('ClockDecisionRecorder: the one loop recording what the clock decided', () => {
  it('given due items, when recorded, then each is appended once as the system, dated at its deadline, outcomes in the items order', async () => {
    const { store, commands, recorder } = setUp();
    for (const id of ['c1', 'c2'])
      await commands.execute(register(id), { actor: WATCHER, channel: 'web', correlationId: id, causationId: null });
    const report = { recorded: 0, alreadyRecorded: 0, skipped: [] as Array<{ customerId: string; rule: string }> };

    const outcomes = await recorder.recordInto(bandChanges, changes, report, ({ customerId }, rule) => ({
      customerId,
      rule,
    }));

    expect(outcomes.map((o) => o.status)).toEqual(['recorded', 'skipped', 'recorded']);
    expect(report).toEqual({
      recorded: 2,
      alreadyRecorded: 0,
      skipped: [{ customerId: 'ghost', rule: 'customer.unknown' }],
    });
    const [, recorded] = await streamOf(store, 'c2');
    expect(recorded).toMatchObject({
      type: 'CustomerHealthBandChanged',
      metadata: {
        occurredAt: '2026-03-05T00:00:00.000Z',
        recordedAt: NOW,
        actor: WATCHER,
        channel: 'system',
        correlationId: 'band:c2:watch:2026-03-05T00:00:00.000Z',
      },
    });
    expect(outcomes[0]).toEqual({ status: 'recorded', eventId: (await streamOf(store, 'c1'))[1]!.metadata.eventId });
  });

  it('given items recorded before, when recorded again (a rerun, another engine), then nothing is stored twice', async () => {
    const { store, commands, recorder } = setUp();
    await commands.execute(register('c1'), { actor: WATCHER, channel: 'web', correlationId: 'c1', causationId: null });
    await recorder.record(bandChanges, [changes[0]!]);

    const again = await recorder.record(bandChanges, [changes[0]!]);

    expect(again).toEqual([{ status: 'alreadyRecorded' }]);
    expect(await streamOf(store, 'c1')).toHaveLength(2);
  });

  it('given a leader job whose jobs lease is lost, when it records, then it is refused and nothing is stored', async () => {
    const { store, commands, recorder } = setUp();
    await commands.execute(register('c1'), { actor: WATCHER, channel: 'web', correlationId: 'c1', causationId: null });
    const lost = {
      fence: { lease: 'jobs', token: 1 },
      owner: 'engine-a',
      assertHeld: async () => {
        throw new LeaseFencedError('jobs', 1, 2, 'engine-b');
      },
    };

    await expect(runAsLeaderJob(lost, () => recorder.record(bandChanges, [changes[0]!]))).rejects.toBeInstanceOf(
      LeaseFencedError,
    );
    expect(await streamOf(store, 'c1')).toHaveLength(1);
  });

  it('given a deadline rule, when watched at now, then the report counts what was due and names each refusal the rule way', async () => {
    const { commands, recorder } = setUp();
    await commands.execute(register('c1'), { actor: WATCHER, channel: 'web', correlationId: 'c1', causationId: null });
    const seen: string[] = [];
    const rule: DeadlineRule<BandChange, string> = {
      ...bandChanges,
      due: async (now) => {
        seen.push(now);
        return changes.slice(0, 2);
      },
      skippedEntry: ({ customerId }, refusedBy) => `${customerId}: ${refusedBy}`,
    };

    const report = await recorder.watch(rule, new Date(NOW));

    expect(seen).toEqual([NOW]);
    expect(report).toEqual({
      now: NOW,
      candidates: 2,
      recorded: 1,
      alreadyRecorded: 0,
      skipped: ['ghost: customer.unknown'],
    });
  });
});
