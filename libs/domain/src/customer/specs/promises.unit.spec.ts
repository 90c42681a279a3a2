import { given } from '@rapport/testing';
import { command, CUSTOMER, event, promiseMade, registered, T0, T1, T2, T3 } from './fixtures';

const data = { customerId: CUSTOMER, promiseId: 'p-1' };
const kept = event(T2, { type: 'PromiseKept', data: { ...data, keptBy: 'agent-1' } });
const broken = event(T2, { type: 'PromiseBroken', data });
const cancelled = event(T2, { type: 'PromiseCancelled', data });
// Dated at the due date it records (business time), whenever the watcher noticed it.
const overdue = event(T2, { type: 'PromiseBecameOverdue', data: { ...data, dueAt: T2 } });
const renegotiated = event(T2, { type: 'PromiseRenegotiated', data: { ...data, previousDueAt: T2, newDueAt: T3 } });

const keep = command('KeepPromise', { occurredAt: T2, promiseId: 'p-1', keptBy: 'agent-1' });
const renegotiate = command('RenegotiatePromise', {
  occurredAt: T2,
  promiseId: 'p-1',
  newDueAt: T3,
  reason: 'supplier delay',
});
const breakIt = command('BreakPromise', { occurredAt: T2, promiseId: 'p-1' });
const cancel = command('CancelPromise', { occurredAt: T2, promiseId: 'p-1', reason: 'customer withdrew' });
const T4 = '2024-01-05T00:00:00.000Z';
/** The watcher's command: dated at the due date, noticed at the watcher's clock. */
const markOverdue = (occurredAt = T2, noticedAt = T3) =>
  command('MarkPromiseOverdue', { occurredAt, noticedAt, promiseId: 'p-1' });

describe('making promises', () => {
  const make = (fields: Record<string, unknown> = {}) =>
    command('MakePromise', {
      promiseId: 'p-1',
      description: 'call back',
      dueAt: T2,
      madeBy: 'agent-1',
      withinPolicy: false,
      ...fields,
    });

  it('records a promise, within policy or not', () => {
    given([registered])
      .when(make())
      .then([
        {
          type: 'PromiseMade',
          data: { ...data, description: 'call back', dueAt: T2, madeBy: 'agent-1', withinPolicy: false },
        },
      ]);
  });

  it('refuses a promise due before it is made', () => {
    given([registered])
      .when(make({ dueAt: T0 }))
      .thenThrows('promise.due_before_made', { kind: 'invalid', field: 'dueAt' });
  });

  it('refuses the same promise id twice', () => {
    given([registered, promiseMade()]).when(make()).thenThrows('promise.duplicate_id', { kind: 'conflict' });
  });

  it.each([
    [{ description: '' }, 'value.required', 'description'],
    [{ dueAt: 'soon' }, 'value.invalid_time', 'dueAt'],
    [{ withinPolicy: 'yes' }, 'value.required', 'withinPolicy'],
    [{ madeBy: '' }, 'value.required', 'madeBy'],
  ] as const)('rejects %p with %s naming %s', (fields, rule, field) => {
    given([registered]).when(make(fields)).thenThrows(rule, { kind: 'invalid', field });
  });
});

describe('settling promises', () => {
  it('keeps an open promise', () => {
    given([registered, promiseMade()])
      .when(keep)
      .then([{ type: 'PromiseKept', data: { ...data, keptBy: 'agent-1' } }]);
  });

  it('keeps an overdue promise (late)', () => {
    given([registered, promiseMade(), overdue])
      .when({ ...keep, occurredAt: T3 })
      .then([{ type: 'PromiseKept', data: { ...data, keptBy: 'agent-1' } }]);
  });

  it('renegotiates an open promise, remembering the previous due date', () => {
    given([registered, promiseMade()])
      .when(renegotiate)
      .then([
        { type: 'PromiseRenegotiated', data: { ...data, previousDueAt: T2, newDueAt: T3, reason: 'supplier delay' } },
      ]);
  });

  it('breaks and cancels open promises', () => {
    given([registered, promiseMade()])
      .when(breakIt)
      .then([{ type: 'PromiseBroken', data }]);
    given([registered, promiseMade()])
      .when(cancel)
      .then([{ type: 'PromiseCancelled', data: { ...data, reason: 'customer withdrew' } }]);
  });

  const settled = [
    ['kept', kept],
    ['broken', broken],
    ['cancelled', cancelled],
  ] as const;
  const actions = [
    ['keep', keep],
    ['renegotiate', renegotiate],
    ['break', breakIt],
    ['cancel', cancel],
    ['mark overdue', markOverdue()],
  ] as const;
  for (const [status, settledEvent] of settled) {
    it.each(actions)(`refuses to %s a ${status} promise`, (_name, action) => {
      given([registered, promiseMade(), settledEvent])
        .when(action)
        .thenThrows('promise.not_open', { kind: 'conflict' });
    });
  }

  it.each(actions)('refuses to %s an unknown promise (404)', (_name, action) => {
    given([registered]).when(action).thenThrows('promise.unknown', { kind: 'not_found', field: 'promiseId' });
  });

  it.each(actions)('refuses to %s a promise before it was made', (_name, action) => {
    given([registered, promiseMade('p-1', T3, T2)])
      .when({ ...action, occurredAt: T1 })
      .thenThrows('promise.action_before_made', { kind: 'invalid' });
  });

  it('refuses a renegotiated due date in the past', () => {
    given([registered, promiseMade()])
      .when({ ...renegotiate, newDueAt: T1 })
      .thenThrows('promise.due_before_made', { field: 'newDueAt' });
  });
});

describe('overdue promises (system)', () => {
  it('given an open promise due T2, when the watcher notices at T3, then it became overdue at T2', () => {
    given([registered, promiseMade()])
      .when(markOverdue(T2, T3))
      .then([{ type: 'PromiseBecameOverdue', data: { ...data, dueAt: T2 } }]);
  });

  it('is dated at the due date even after later touchpoints were recorded (late detection)', () => {
    const call = event(T3, {
      type: 'CallLogged',
      data: {
        customerId: CUSTOMER,
        callId: 'call-1',
        direction: 'inbound',
        durationSeconds: 60,
        agentId: 'a',
        topic: 'x',
        outcome: 'resolved',
      },
    });
    given([registered, promiseMade(), call])
      .when(markOverdue(T2, T4))
      .then([{ type: 'PromiseBecameOverdue', data: { ...data, dueAt: T2 } }]);
  });

  it('refuses while the due date has not passed when the watcher notices it', () => {
    given([registered, promiseMade()])
      .when(markOverdue(T2, T2))
      .thenThrows('promise.not_yet_due', { kind: 'conflict' });
    given([registered, promiseMade()]).when(markOverdue(T2, T1)).thenThrows('promise.not_yet_due');
  });

  it('refuses an overdue dated other than the due date (the detection time, or a time before the due date)', () => {
    given([registered, promiseMade()])
      .when(markOverdue(T3, T4))
      .thenThrows('promise.overdue_not_at_due_date', { kind: 'invalid', field: 'occurredAt' });
    given([registered, promiseMade()])
      .when(markOverdue(T1, T4))
      .thenThrows('promise.overdue_not_at_due_date', { kind: 'invalid', field: 'occurredAt' });
  });

  it('refuses a stale due date once the promise was renegotiated', () => {
    given([registered, promiseMade(), renegotiated])
      .when(markOverdue(T2, T4))
      .thenThrows('promise.overdue_not_at_due_date', { field: 'occurredAt' });
  });

  it('refuses a noticedAt that is not a time', () => {
    given([registered, promiseMade()])
      .when(markOverdue(T2, 'yesterday'))
      .thenThrows('value.invalid_time', { kind: 'invalid', field: 'noticedAt' });
  });

  it('refuses to mark an overdue promise again', () => {
    given([registered, promiseMade(), overdue]).when(markOverdue()).thenThrows('promise.already_overdue');
  });

  it('a renegotiated overdue promise is open again against its new date', () => {
    given([registered, promiseMade(), overdue, renegotiated])
      .when(markOverdue(T3, T3))
      .thenThrows('promise.not_yet_due');
    given([registered, promiseMade(), overdue, renegotiated])
      .when(markOverdue(T3, T4))
      .then([{ type: 'PromiseBecameOverdue', data: { ...data, dueAt: T3 } }]);
  });
});
