import type { CommandOfType } from '../commands/customer-commands';
import { InvalidValueError, NotFoundError, RuleViolationError } from '../errors/domain-error';
import { compact } from './compact';
import { dictGet } from './dict';
import type { ActiveCustomer, DecidedEvent, PromiseState } from './customer-state';

// Promises made to an active customer: kept, broken, renegotiated or cancelled only while open; `at`
// is the command's business time in milliseconds.

export function makePromise(command: CommandOfType<'MakePromise'>, state: ActiveCustomer, at: number): DecidedEvent[] {
  const { customerId, promiseId, description, dueAt, madeBy, withinPolicy } = command;
  if (dictGet(state.promises, promiseId))
    throw new RuleViolationError('promise.duplicate_id', `promise ${promiseId} was already made`, 'promiseId');
  if (Date.parse(dueAt) < at) {
    throw new InvalidValueError(
      'promise.due_before_made',
      'dueAt',
      `dueAt ${dueAt} is before the promise is made (${command.occurredAt})`,
    );
  }
  return [{ type: 'PromiseMade', data: { customerId, promiseId, description, dueAt, madeBy, withinPolicy } }];
}

export function keepPromise(command: CommandOfType<'KeepPromise'>, state: ActiveCustomer, at: number): DecidedEvent[] {
  const { customerId, promiseId, keptBy, note } = command;
  openPromise(state, promiseId, at);
  return [{ type: 'PromiseKept', data: compact({ customerId, promiseId, keptBy, note }) }];
}

export function renegotiatePromise(
  command: CommandOfType<'RenegotiatePromise'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, promiseId, newDueAt, reason } = command;
  const promise = openPromise(state, promiseId, at);
  if (Date.parse(newDueAt) < at) {
    throw new InvalidValueError(
      'promise.due_before_made',
      'newDueAt',
      `newDueAt ${newDueAt} is before the renegotiation (${command.occurredAt})`,
    );
  }
  const data = compact({ customerId, promiseId, previousDueAt: promise.dueAt, newDueAt, reason });
  return [{ type: 'PromiseRenegotiated', data }];
}

export function breakPromise(
  command: CommandOfType<'BreakPromise'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, promiseId, reason } = command;
  openPromise(state, promiseId, at);
  return [{ type: 'PromiseBroken', data: compact({ customerId, promiseId, reason }) }];
}

export function cancelPromise(
  command: CommandOfType<'CancelPromise'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, promiseId, reason } = command;
  openPromise(state, promiseId, at);
  return [{ type: 'PromiseCancelled', data: compact({ customerId, promiseId, reason }) }];
}

/** Recorded by the deadline watcher, dated at the deadline (business time); a stale due date is refused. */
export function markPromiseOverdue(
  command: CommandOfType<'MarkPromiseOverdue'>,
  state: ActiveCustomer,
  at: number,
): DecidedEvent[] {
  const { customerId, promiseId } = command;
  const promise = openPromise(state, promiseId, at);
  if (promise.status === 'overdue')
    throw new RuleViolationError('promise.already_overdue', `promise ${promiseId} is already overdue`, 'promiseId');
  if (at !== Date.parse(promise.dueAt)) {
    throw new InvalidValueError(
      'promise.overdue_not_at_due_date',
      'occurredAt',
      `promise ${promiseId} becomes overdue at its due date ${promise.dueAt}, not at ${command.occurredAt}`,
    );
  }
  if (Date.parse(command.noticedAt) <= at) {
    throw new RuleViolationError(
      'promise.not_yet_due',
      `promise ${promiseId} is due ${promise.dueAt}, not yet passed at ${command.noticedAt}`,
    );
  }
  return [{ type: 'PromiseBecameOverdue', data: { customerId, promiseId, dueAt: promise.dueAt } }];
}

function existingPromise(state: ActiveCustomer, promiseId: string, at: number): PromiseState {
  const promise = dictGet(state.promises, promiseId);
  if (!promise)
    throw new NotFoundError(
      'promise.unknown',
      `promise ${promiseId} was never made to customer ${state.customerId}`,
      'promiseId',
    );
  if (at < Date.parse(promise.madeAt)) {
    throw new InvalidValueError(
      'promise.action_before_made',
      'occurredAt',
      `promise ${promiseId} was made at ${promise.madeAt}, after this`,
    );
  }
  return promise;
}

/** Open means not yet settled: `open` or `overdue`. */
function openPromise(state: ActiveCustomer, promiseId: string, at: number): PromiseState {
  const promise = existingPromise(state, promiseId, at);
  if (promise.status !== 'open' && promise.status !== 'overdue') {
    throw new RuleViolationError('promise.not_open', `promise ${promiseId} is already ${promise.status}`);
  }
  return promise;
}
