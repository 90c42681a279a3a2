// Audit scenario (issue 7): the as-of state of one customer with 10,000 events, replayed through the
// decider and every per-customer projection, against a raw readStream of the same events.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventToAppend } from '../../libs/event-store/src';
import { MemoryKeyStore, PersonalDataCipher, type CipherableEvent } from '../../libs/personal-data/src';
import { AsOfStateService, PersonalDataReader, SealedDataRevealer } from '@rapport/application';
import type { Scenario, ScenarioResult } from '../scenario';
import { DAY_MS } from '@rapport/domain';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const EVENTS = Math.max(100, Math.round(10_000 * SCALE));
const RUNS = 15;
const CUSTOMER = 'bench-asof';
const T0 = Date.UTC(2020, 0, 1);
const COMMENTS = [
  'great service, thank you',
  'the delivery was late again',
  '服务很好，送货很快',
  'not happy with the refund',
  'ok',
];

/** The customer's history: a registration, then purchases, calls with notes and surveys with comments. */
function history(): EventToAppend[] {
  const meta = (i: number) => {
    const at = new Date(T0 + i * (DAY_MS / 4)).toISOString();
    return {
      eventId: randomUUID(),
      occurredAt: at,
      recordedAt: at,
      actor: { id: 'agent-1', role: 'agent' },
      channel: 'phone',
      correlationId: randomUUID(),
      causationId: null,
    };
  };
  const events: EventToAppend[] = [
    {
      type: 'CustomerRegistered',
      data: {
        customerId: CUSTOMER,
        name: 'Bench Customer',
        email: 'bench@example.com',
        acquisitionChannel: 'web',
        acquisitionCost: 10,
        region: 'East',
        city: 'Shanghai',
        demographics: {},
      },
      metadata: { ...meta(0), schemaVersion: 1 },
    },
  ];
  for (let i = 1; i < EVENTS; i++) {
    const kind = i % 20;
    if (kind < 12) {
      events.push({
        type: 'PurchaseRecorded',
        data: {
          customerId: CUSTOMER,
          orderId: `o-${i}`,
          lines: [{ sku: `sku-${i % 50}`, category: 'books', quantity: 1, unitPrice: 10 + (i % 90) }],
          total: 10 + (i % 90),
          currency: 'CNY',
        },
        metadata: { ...meta(i), schemaVersion: 1 },
      });
    } else if (kind < 17) {
      events.push({
        type: 'CallLogged',
        data: {
          customerId: CUSTOMER,
          callId: `call-${i}`,
          direction: 'inbound',
          durationSeconds: 60 + (i % 300),
          agentId: 'agent-1',
          topic: 'delivery',
          outcome: 'resolved',
          notes: COMMENTS[i % COMMENTS.length],
        },
        metadata: { ...meta(i), schemaVersion: 2 },
      });
    } else {
      events.push({
        type: 'SurveyResponded',
        data: {
          customerId: CUSTOMER,
          surveyId: `s-${i}`,
          kind: 'nps',
          score: i % 11,
          comment: COMMENTS[(i + 2) % COMMENTS.length],
        },
        metadata: { ...meta(i), schemaVersion: 1 },
      });
    }
  }
  return events;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export const auditAsOf: Scenario = {
  name: 'audit.asof',
  async run(workDir: string): Promise<ScenarioResult> {
    const store = new SqliteEventStore({ path: join(workDir, 'asof.db'), synchronous: 'NORMAL' });
    const keys = new MemoryKeyStore();
    const cipher = new PersonalDataCipher();
    const key = await keys.getOrCreateKey(CUSTOMER);
    const events = history().map(
      (e) => cipher.encrypt(e as unknown as CipherableEvent, key) as unknown as EventToAppend,
    );
    for (let i = 0; i < events.length; i += 500)
      await store.appendToStream(`customer-${CUSTOMER}`, events.slice(i, i + 500));
    const service = new AsOfStateService(store, keys, new SealedDataRevealer(new PersonalDataReader(keys)));
    const asOf = new Date(T0 + (EVENTS - 10) * (DAY_MS / 4)).toISOString();

    const stateTimes: number[] = [];
    const readTimes: number[] = [];
    // CPU time of the process too: on a shared, loaded machine wall time also counts waiting for a core.
    const stateCpu: number[] = [];
    let applied = 0;
    for (let run = 0; run < RUNS; run++) {
      let started = performance.now();
      let count = 0;
      for await (const _ of store.readStream(`customer-${CUSTOMER}`)) count++;
      readTimes.push(performance.now() - started);
      started = performance.now();
      const cpuBefore = process.cpuUsage();
      const state = await service.stateOf(CUSTOMER, 'auditor', asOf);
      stateTimes.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuBefore);
      stateCpu.push((cpu.user + cpu.system) / 1000);
      applied = state?.eventsApplied ?? 0;
      if (count !== EVENTS) throw new Error(`read ${count} events, expected ${EVENTS}`);
    }
    await store.close();
    return {
      value: median(stateTimes),
      unit: 'ms',
      baseline: median(readTimes),
      baselineLabel: `raw readStream of the same ${EVENTS} events (median of ${RUNS})`,
      target: '< 100 ms',
      extra: {
        events: EVENTS,
        eventsApplied: applied,
        p_max_ms: Math.max(...stateTimes).toFixed(1),
        cpu_median_ms: median(stateCpu).toFixed(1),
        load_average_1m: loadavg()[0]!.toFixed(2),
        runs: RUNS,
      },
    };
  },
};
