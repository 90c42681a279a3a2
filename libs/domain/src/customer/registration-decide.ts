import type { CommandOfType } from '../commands/customer-commands';
import { RuleViolationError } from '../errors/domain-error';
import type { Demographics } from '../events/customer-events';
import { compact } from './compact';
import type { CustomerState, DecidedEvent } from './customer-state';

// The customer's own commands: registration, profile changes, erasure.

/** A customer is registered once (an erased one is refused before: its id is never reused). */
export function registerCustomer(command: CommandOfType<'RegisterCustomer'>, state: CustomerState): DecidedEvent[] {
  const { customerId, name, email, phone, address, acquisitionChannel, acquisitionCost, region, city } = command;
  if (state.status === 'active')
    throw new RuleViolationError('customer.already_registered', `customer ${customerId} is already registered`);
  const data = { customerId, name, email, phone, address, acquisitionChannel, acquisitionCost, region, city };
  const demographics = pickDemographics(command.demographics) ?? {};
  return [{ type: 'CustomerRegistered', data: compact({ ...data, demographics }) }];
}

export function updateCustomerProfile(command: CommandOfType<'UpdateCustomerProfile'>): DecidedEvent[] {
  const { name, email, phone, address, region, city, demographics } = command.changes;
  const changes = compact({ name, email, phone, address, region, city, demographics: pickDemographics(demographics) });
  return [{ type: 'CustomerProfileUpdated', data: { customerId: command.customerId, changes } }];
}

export function eraseCustomer({ customerId, reason }: CommandOfType<'EraseCustomer'>): DecidedEvent[] {
  return [{ type: 'CustomerErased', data: { customerId, reason } }];
}

function pickDemographics(value: Demographics | undefined): Demographics | undefined {
  if (value === undefined) return undefined;
  const { ageBand, gender, incomeBand } = value;
  return compact({ ageBand, gender, incomeBand });
}
