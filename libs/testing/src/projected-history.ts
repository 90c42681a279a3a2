// A property-test generator of one customer's history, for the read-model tests that hold a one-pass
// fold equal to folding its projection's `evolve`.
import fc from 'fast-check';
import type { CustomerEventType, EventOfType } from '@rapport/domain';
import type { ProjectedEvent } from '@rapport/projection-engine';
import { projected } from './projected-events';

const BASE = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

const step = fc.record({
  kind: fc.constantFrom(
    'registered',
    'updated',
    'erased',
    'purchase',
    'purchase',
    'purchase',
    'refund',
    'call',
    'survey',
    'promiseMade',
    'promiseKept',
    'complaintFiled',
    'complaintResolved',
  ),
  // Up to 400 days: past the 180-day revenue window; hours put several events on one day.
  hour: fc.integer({ min: 0, max: 400 * 24 }),
  amount: fc.constantFrom(0.1, 5, 19.9, 30.1, 100),
  id: fc.integer({ min: 1, max: 6 }),
  channel: fc.constantFrom('web', 'phone', 'store'),
});

type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

function eventOf(customerId: string, { kind, hour, amount, id, channel }: Step): ProjectedEvent {
  const at = new Date(BASE + hour * HOUR).toISOString();
  const make = <T extends CustomerEventType>(
    type: T,
    data: EventOfType<T>['data'],
    sealed?: Record<string, string>,
  ): ProjectedEvent => {
    const event = projected(type, at, data);
    return { ...event, metadata: { ...event.metadata, channel }, ...(sealed ? { sealed } : {}) } as ProjectedEvent;
  };
  switch (kind) {
    case 'registered':
      return make(
        'CustomerRegistered',
        {
          customerId,
          name: 'n',
          acquisitionChannel: channel,
          acquisitionCost: amount,
          region: `r${id}`,
          city: `c${id}`,
          demographics: { ageBand: `${id}0s` },
        },
        { name: `pdref:v1:e${hour}:name:pd:v1:AAAA` },
      );
    case 'updated':
      return make(
        'CustomerProfileUpdated',
        {
          customerId,
          changes: id % 2 ? { region: `r${id}` } : { city: `c${id}`, demographics: { incomeBand: `b${id}` } },
        },
        id % 3 ? { 'changes.email': `pdref:v1:e${hour}:changes.email:pd:v1:AAAA` } : undefined,
      );
    case 'erased':
      return make('CustomerErased', { customerId, reason: 'request' });
    case 'purchase':
      return make('PurchaseRecorded', { customerId, orderId: `o${id}`, lines: [], total: amount, currency: 'EUR' });
    case 'refund':
      return make('PurchaseRefunded', { customerId, orderId: `o${id}`, refundId: `r${hour}`, amount, currency: 'EUR' });
    case 'call':
      return make('CallLogged', {
        customerId,
        callId: `k${hour}`,
        direction: 'inbound',
        durationSeconds: 60,
        agentId: 'a',
        topic: 't',
        outcome: 'resolved',
      });
    case 'survey':
      return make('SurveyResponded', { customerId, surveyId: `s${hour}`, kind: 'nps', score: id });
    case 'promiseMade':
      return make('PromiseMade', {
        customerId,
        promiseId: `p${id}`,
        description: 'd',
        dueAt: at,
        madeBy: 'a',
        withinPolicy: true,
      });
    case 'promiseKept':
      return make('PromiseKept', { customerId, promiseId: `p${id}`, keptBy: 'a' });
    case 'complaintFiled':
      return make('ComplaintFiled', {
        customerId,
        complaintId: `q${id}`,
        category: 'x',
        severity: 'low',
        description: 'd',
      });
    case 'complaintResolved':
      return make('ComplaintResolved', { customerId, complaintId: `q${id}`, by: 'a', resolution: 'r' });
  }
}

/** One customer's events of every kind, recorded out of business-time order, some on one day. */
export const customerHistory = (customerId = 'c1', maxLength = 80): fc.Arbitrary<ProjectedEvent[]> =>
  fc.array(step, { maxLength }).map((steps) => steps.map((s) => eventOf(customerId, s)));

/** The events a projection handles, as the runner and the as-of replay hand them over. */
export const handledBy = (handles: readonly string[], events: ProjectedEvent[]): ProjectedEvent[] =>
  events.filter((event) => handles.includes(event.type));
