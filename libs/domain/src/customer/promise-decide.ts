import type { CustomerCommand } from '../commands/customer-commands';
import { domainError, InvalidValueError, NotFoundError, RuleViolationError } from '../errors/domain-error';
import { compact } from './compact';
import { dictGet } from './dict';
import type { ActiveCustomer, DecidedEvent, PromiseState } from './customer-state';

/** The promise commands. */
export type PromiseCommand = Extract<
  CustomerCommand,
  {
    type:
      'MakePromise' | 'KeepPromise' | 'RenegotiatePromise' | 'BreakPromise' | 'CancelPromise' | 'MarkPromiseOverdue';
  }
>;

/**
 * The rules of promises made to an active customer; `at` is the command's business time in milliseconds.
 */
export function decidePromise(command: PromiseCommand, state: ActiveCustomer, at: number): DecidedEvent[] {
  const { customerId } = command;
  switch (command.type) {
    case 'MakePromise': {
      if (dictGet(state.promises, command.promiseId)) {
        throw new RuleViolationError(
          'promise.duplicate_id',
          `promise ${command.promiseId} was already made`,
          'promiseId',
        );
      }
      if (Date.parse(command.dueAt) < at) {
        throw new InvalidValueError(
          'promise.due_before_made',
          'dueAt',
          `dueAt ${command.dueAt} is before the promise is made (${command.occurredAt})`,
        );
      }
      const { promiseId, description, dueAt, madeBy, withinPolicy } = command;
      return [{ type: 'PromiseMade', data: { customerId, promiseId, description, dueAt, madeBy, withinPolicy } }];
    }

    case 'KeepPromise': {
      openPromise(state, command.promiseId, at);
      const { promiseId, keptBy, note } = command;
      return [{ type: 'PromiseKept', data: compact({ customerId, promiseId, keptBy, note }) }];
    }

    case 'RenegotiatePromise': {
      const promise = openPromise(state, command.promiseId, at);
      if (Date.parse(command.newDueAt) < at) {
        throw new InvalidValueError(
          'promise.due_before_made',
          'newDueAt',
          `newDueAt ${command.newDueAt} is before the renegotiation (${command.occurredAt})`,
        );
      }
      const { promiseId, newDueAt, reason } = command;
      return [
        {
          type: 'PromiseRenegotiated',
          data: compact({ customerId, promiseId, previousDueAt: promise.dueAt, newDueAt, reason }),
        },
      ];
    }

    case 'BreakPromise': {
      openPromise(state, command.promiseId, at);
      return [
        { type: 'PromiseBroken', data: compact({ customerId, promiseId: command.promiseId, reason: command.reason }) },
      ];
    }

    case 'CancelPromise': {
      openPromise(state, command.promiseId, at);
      return [
        {
          type: 'PromiseCancelled',
          data: compact({ customerId, promiseId: command.promiseId, reason: command.reason }),
        },
      ];
    }

    case 'MarkPromiseOverdue': {
      const promise = openPromise(state, command.promiseId, at);
      if (promise.status === 'overdue') {
        throw new RuleViolationError(
          'promise.already_overdue',
          `promise ${command.promiseId} is already overdue`,
          'promiseId',
        );
      }
      // Dated at the deadline it records (business time); a stale watcher's old due date is refused.
      if (at !== Date.parse(promise.dueAt)) {
        throw new InvalidValueError(
          'promise.overdue_not_at_due_date',
          'occurredAt',
          `promise ${command.promiseId} becomes overdue at its due date ${promise.dueAt}, not at ${command.occurredAt}`,
        );
      }
      if (Date.parse(command.noticedAt) <= at) {
        throw new RuleViolationError(
          'promise.not_yet_due',
          `promise ${command.promiseId} is due ${promise.dueAt}, not yet passed at ${command.noticedAt}`,
        );
      }
      return [
        { type: 'PromiseBecameOverdue', data: { customerId, promiseId: command.promiseId, dueAt: promise.dueAt } },
      ];
    }

    default: {
      const _exhaustive: never = command;
      throw domainError('value.invalid_enum', `unknown command type ${(_exhaustive as { type: string }).type}`, 'type');
    }
  }
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
