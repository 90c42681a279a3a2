import type { CommandOfType } from '../commands/customer-commands';
import { RuleViolationError } from '../errors/domain-error';
import { compact } from './compact';
import type { ActiveCustomer, DecidedEvent } from './customer-state';
import { dictGet } from './dict';

/** A call is logged once per customer. */
export function logCall(command: CommandOfType<'LogCall'>, state: ActiveCustomer): DecidedEvent[] {
  const { customerId, callId, direction, durationSeconds, agentId, topic, outcome, notes } = command;
  if (dictGet(state.callIds, callId))
    throw new RuleViolationError('call.duplicate_id', `call ${callId} is already logged`, 'callId');
  return [
    {
      type: 'CallLogged',
      data: compact({ customerId, callId, direction, durationSeconds, agentId, topic, outcome, notes }),
    },
  ];
}
