import { randomUUID } from 'node:crypto';
import { seededRandom } from '@rapport/clv';
import { DAY_MS, type CustomerEvent } from '@rapport/domain';
import type { EventStore, EventToAppend, StoredEvent } from '@rapport/event-store';
import type { EventDecoder } from '../runner/runner-options';
import type { ProjectedEvent } from '../projection';

// Test and benchmark helpers: a deterministic customer history, and a decoder that passes events
// through as stored (no encryption in these fixtures).

// The seeded PRNG (mulberry32) the CLV simulator uses, so histories repeat across runs and processes.
export { seededRandom } from '@rapport/clv';

const CHANNELS = ['phone', 'email', 'wechat', 'web', 'store'] as const;
const REGIONS = ['north', 'south', 'east', 'west'] as const;
export function makeEvent(
  type: CustomerEvent['type'],
  data: Record<string, unknown>,
  at: Date,
  channel: string = 'web',
): EventToAppend {
  const eventId = randomUUID();
  return {
    type,
    data,
    metadata: {
      eventId,
      occurredAt: at.toISOString(),
      recordedAt: at.toISOString(),
      actor: { id: 'agent-1', role: 'agent' },
      channel,
      correlationId: eventId,
      causationId: null,
      schemaVersion: 1,
    },
  };
}

/** Events of one customer: registration, then `count - 1` touchpoints with open/close pairs. */
export function customerHistory(
  customerId: string,
  count: number,
  random: () => number,
  start = Date.UTC(2024, 0, 1),
): EventToAppend[] {
  const events: EventToAppend[] = [];
  let t = start + Math.floor(random() * DAY_MS);
  const next = (): Date => new Date((t += 3_600_000 + Math.floor(random() * DAY_MS * 5)));
  const channel = (): string => CHANNELS[Math.floor(random() * CHANNELS.length)] as string;
  events.push(
    makeEvent(
      'CustomerRegistered',
      {
        customerId,
        name: `cipher:name-${customerId}`,
        email: `cipher:mail-${customerId}`,
        acquisitionChannel: channel(),
        acquisitionCost: Math.round(random() * 100),
        region: REGIONS[Math.floor(random() * REGIONS.length)],
        city: `city-${Math.floor(random() * 20)}`,
        demographics: { ageBand: `${20 + 10 * Math.floor(random() * 5)}s` },
      },
      next(),
      channel(),
    ),
  );
  const open: { promises: string[]; complaints: string[] } = { promises: [], complaints: [] };
  for (let i = 1; i < count; i++) {
    const roll = random();
    const at = next();
    const id = `${customerId}-${i}`;
    if (roll < 0.35) {
      events.push(
        makeEvent(
          'PurchaseRecorded',
          {
            customerId,
            orderId: id,
            lines: [{ sku: 's1', category: 'c', quantity: 1, unitPrice: 10 }],
            total: 10,
            currency: 'EUR',
          },
          at,
          channel(),
        ),
      );
    } else if (roll < 0.55) {
      events.push(
        makeEvent(
          'CallLogged',
          {
            customerId,
            callId: id,
            direction: 'inbound',
            durationSeconds: 60,
            agentId: 'a1',
            topic: 't',
            outcome: 'resolved',
          },
          at,
          'phone',
        ),
      );
    } else if (roll < 0.65) {
      open.promises.push(id);
      events.push(
        makeEvent(
          'PromiseMade',
          {
            customerId,
            promiseId: id,
            description: 'cipher:x',
            dueAt: at.toISOString(),
            madeBy: 'a1',
            withinPolicy: true,
          },
          at,
          channel(),
        ),
      );
    } else if (roll < 0.72 && open.promises.length > 0) {
      events.push(
        makeEvent('PromiseKept', { customerId, promiseId: open.promises.shift(), keptBy: 'a1' }, at, channel()),
      );
    } else if (roll < 0.8) {
      open.complaints.push(id);
      events.push(
        makeEvent(
          'ComplaintFiled',
          { customerId, complaintId: id, category: 'delivery', severity: 'low', description: 'cipher:y' },
          at,
          channel(),
        ),
      );
    } else if (roll < 0.86 && open.complaints.length > 0) {
      events.push(
        makeEvent(
          'ComplaintResolved',
          { customerId, complaintId: open.complaints.shift(), by: 'a1', resolution: 'cipher:z' },
          at,
          channel(),
        ),
      );
    } else if (roll < 0.9) {
      events.push(
        makeEvent(
          'CustomerProfileUpdated',
          { customerId, changes: { city: `city-${Math.floor(random() * 20)}` } },
          at,
          channel(),
        ),
      );
    } else {
      events.push(
        makeEvent(
          'SurveyResponded',
          { customerId, surveyId: id, kind: 'nps', score: Math.floor(random() * 11) },
          at,
          'email',
        ),
      );
    }
  }
  return events;
}

/** Appends `customers` histories of `perCustomer` events, interleaved in rounds so positions mix. */
export async function seedHistory(
  store: EventStore,
  customers: number,
  perCustomer: number,
  seed = 1,
  chunk = 5,
): Promise<void> {
  const random = seededRandom(seed);
  const histories = Array.from({ length: customers }, (_, i) => customerHistory(`c${seed}-${i}`, perCustomer, random));
  for (let offset = 0; offset < perCustomer; offset += chunk) {
    for (let i = 0; i < customers; i++) {
      const part = histories[i]!.slice(offset, offset + chunk);
      if (part.length > 0)
        await store.appendToStream(`customer-c${seed}-${i}`, part, {
          expectedRevision: offset === 0 ? 'no_stream' : offset - 1,
        });
    }
  }
}

/** Passes stored events through unchanged (fixtures carry no ciphertext to open). */
export const passThroughDecoder: EventDecoder = async (stored: StoredEvent) =>
  ({
    type: stored.type,
    data: stored.data,
    metadata: stored.metadata,
    streamId: stored.streamId,
    revision: stored.revision,
    position: stored.position,
  }) as unknown as ProjectedEvent;
