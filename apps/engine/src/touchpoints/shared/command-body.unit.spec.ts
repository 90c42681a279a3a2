import { validateCommandValues, type CommandOfType } from '@rapport/domain';
import type { CommandBody, Exactly } from './command-body';

// Compile-time cases: `npm test` type-checks the specs, and each @ts-expect-error fails the build
// the day its error goes away.

// @ts-expect-error a field of the domain's command the DTO does not declare
export class MissingReason implements Exactly<CommandBody<'EraseCustomer'>, MissingReason> {
  occurredAt?: string;
}

export class ExtraField implements Exactly<CommandBody<'EraseCustomer'>, ExtraField> {
  reason!: string;
  // @ts-expect-error a field the domain's command does not have
  shredNow!: boolean;
}

export class WrongType implements Exactly<CommandBody<'LogCall', 'customerId', 'agentId'>, WrongType> {
  callId!: string;
  direction!: 'inbound' | 'outbound';
  // @ts-expect-error a field of another type than the command's
  durationSeconds!: string;
  topic!: string;
  outcome!: 'resolved';
}

export class OptionalRequired implements Exactly<CommandBody<'EraseCustomer'>, OptionalRequired> {
  // @ts-expect-error a required field of the command that the DTO makes optional without a route default
  reason?: string;
}

export class Exact implements Exactly<CommandBody<'KeepPromise', 'customerId' | 'promiseId', 'keptBy'>, Exact> {
  keptBy?: string;
  note?: string;
  occurredAt?: string;
  channel?: 'web';
}

describe('CommandBody', () => {
  it("given a body typed as the command's, when the route adds its fields, then it is the domain's command", () => {
    const body: CommandBody<'KeepPromise', 'customerId' | 'promiseId', 'keptBy'> = { note: 'Replacement shipped' };
    const command: CommandOfType<'KeepPromise'> = {
      type: 'KeepPromise',
      customerId: 'c-1',
      occurredAt: '2026-11-20T09:30:00Z',
      promiseId: 'p-1',
      keptBy: 'agent-7',
      ...body,
    };
    expect(() => validateCommandValues(command)).not.toThrow();
  });
});
