// What several bench scenarios share: a percentile of raw timings, and the event they append.
import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../libs/event-store/src';

/** The p-th percentile (0-100) of unsorted values; 0 for none. */
export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** A CallLogged event n for `customerId`, recorded now, with its own event id unless given one. */
export const callLogged = (customerId: string, n: number, eventId: string = randomUUID()): EventToAppend => ({
  type: 'CallLogged',
  data: {
    customerId,
    callId: `call-${n}`,
    direction: 'inbound',
    durationSeconds: 60,
    agentId: 'a',
    topic: 'bench',
    outcome: 'resolved',
  },
  metadata: {
    eventId,
    occurredAt: new Date().toISOString(),
    recordedAt: new Date().toISOString(),
    actor: { id: 'bench', role: 'agent' },
    channel: 'phone',
    correlationId: eventId,
    causationId: null,
    schemaVersion: 2,
  },
});
