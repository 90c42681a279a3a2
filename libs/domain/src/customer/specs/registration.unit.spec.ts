import { given } from '@rapport/testing';
import { TEXT_LIMITS } from '../command-values';
import { BEFORE_T0, command, CUSTOMER, event, registered, T0, T1, T2 } from './fixtures';

const register = (fields: Record<string, unknown> = {}) =>
  command('RegisterCustomer', {
    occurredAt: T0,
    name: 'Li Wei',
    email: 'li.wei@example.com',
    acquisitionChannel: 'web',
    acquisitionCost: 12.5,
    region: 'east',
    city: 'Shanghai',
    demographics: { ageBand: '25-34' },
    ...fields,
  });

const erased = event(T1, { type: 'CustomerErased', data: { customerId: CUSTOMER, reason: 'customer request' } });

describe('registration', () => {
  it('registers an unknown customer', () => {
    given([])
      .when(register())
      .then([
        {
          type: 'CustomerRegistered',
          data: {
            customerId: CUSTOMER,
            name: 'Li Wei',
            email: 'li.wei@example.com',
            acquisitionChannel: 'web',
            acquisitionCost: 12.5,
            region: 'east',
            city: 'Shanghai',
            demographics: { ageBand: '25-34' },
          },
        },
      ]);
  });

  it('defaults demographics to none and keeps absent contact fields absent', () => {
    given([])
      .when(register({ email: undefined, demographics: undefined }))
      .then([
        {
          type: 'CustomerRegistered',
          data: {
            customerId: CUSTOMER,
            name: 'Li Wei',
            acquisitionChannel: 'web',
            acquisitionCost: 12.5,
            region: 'east',
            city: 'Shanghai',
            demographics: {},
          },
        },
      ]);
  });

  it('refuses to register a customer twice', () => {
    given([registered]).when(register()).thenThrows('customer.already_registered', { kind: 'conflict' });
  });

  it('refuses to reuse the id of an erased customer', () => {
    given([registered, erased]).when(register()).thenThrows('customer.erased', { kind: 'conflict' });
  });

  it.each([
    [{ name: '' }, 'value.required', 'name'],
    [{ email: 'not-an-email' }, 'value.invalid_email', 'email'],
    [{ acquisitionCost: -1 }, 'value.negative', 'acquisitionCost'],
    [{ acquisitionCost: Number.NaN }, 'value.not_a_number', 'acquisitionCost'],
    [{ acquisitionChannel: '  ' }, 'value.required', 'acquisitionChannel'],
    [{ region: undefined }, 'value.required', 'region'],
    [{ occurredAt: 'yesterday' }, 'value.invalid_time', 'occurredAt'],
    [{ occurredAt: '2024-01-01T00:00:00' }, 'value.invalid_time', 'occurredAt'],
    [{ customerId: '' }, 'value.required', 'customerId'],
    [{ customerId: 'x'.repeat(201) }, 'value.too_long', 'customerId'],
    // The limits the HTTP API publishes (TEXT_LIMITS), met by every transport.
    [{ name: 'x'.repeat(TEXT_LIMITS.name + 1) }, 'value.too_long', 'name'],
    [{ phone: '1'.repeat(TEXT_LIMITS.phone + 1) }, 'value.too_long', 'phone'],
    [{ acquisitionChannel: 'w'.repeat(TEXT_LIMITS.label + 1) }, 'value.too_long', 'acquisitionChannel'],
    [{ region: 'e'.repeat(TEXT_LIMITS.label + 1) }, 'value.too_long', 'region'],
    [{ city: 'c'.repeat(TEXT_LIMITS.label + 1) }, 'value.too_long', 'city'],
    [{ demographics: { gender: 'g'.repeat(TEXT_LIMITS.demographic + 1) } }, 'value.too_long', 'demographics.gender'],
    // One rule with HTTP (value-rules.ts): required text is more than white space, lengths count
    // UTF-16 units, times name a day that exists, null is no value, demographics an object.
    [{ region: ' ' }, 'value.required', 'region'],
    [{ city: '' }, 'value.required', 'city'],
    [{ name: '😀'.repeat(TEXT_LIMITS.name / 2 + 1) }, 'value.too_long', 'name'],
    [{ occurredAt: '2024-02-30T00:00:00Z' }, 'value.invalid_time', 'occurredAt'],
    [{ occurredAt: '2024-01-01T24:00:00Z' }, 'value.invalid_time', 'occurredAt'],
    [{ occurredAt: '2024-01-01' }, 'value.invalid_time', 'occurredAt'],
    [{ phone: null }, 'value.required', 'phone'],
    [{ demographics: [] }, 'value.required', 'demographics'],
  ] as const)('rejects %p with %s naming %s', (fields, rule, field) => {
    given([]).when(register(fields)).thenThrows(rule, { kind: 'invalid', field });
  });

  it('takes a leap day and a time with an offset and nine fraction digits', () => {
    given([])
      .when(register({ occurredAt: '2024-02-29T08:00:00.123456789+08:00' }))
      .then([expect.objectContaining({ type: 'CustomerRegistered' })]);
  });

  it('registers texts at their limits', () => {
    const atLimit = { name: 'n'.repeat(TEXT_LIMITS.name), city: 'c'.repeat(TEXT_LIMITS.label) };
    given([])
      .when(register(atLimit))
      .then([
        {
          type: 'CustomerRegistered',
          data: {
            customerId: CUSTOMER,
            name: atLimit.name,
            email: 'li.wei@example.com',
            acquisitionChannel: 'web',
            acquisitionCost: 12.5,
            region: 'east',
            city: atLimit.city,
            demographics: { ageBand: '25-34' },
          },
        },
      ]);
  });
});

describe('profile updates', () => {
  it('records the changes given', () => {
    given([registered])
      .when(command('UpdateCustomerProfile', { changes: { phone: '+86 138 0000 0000', city: 'Hangzhou' } }))
      .then([
        {
          type: 'CustomerProfileUpdated',
          data: { customerId: CUSTOMER, changes: { phone: '+86 138 0000 0000', city: 'Hangzhou' } },
        },
      ]);
  });

  it('rejects a name or city longer than the published limits in an update', () => {
    given([registered])
      .when(command('UpdateCustomerProfile', { changes: { city: 'c'.repeat(TEXT_LIMITS.label + 1) } }))
      .thenThrows('value.too_long', { kind: 'invalid', field: 'changes.city' });
  });

  it('rejects a blank region in an update, as a registration does', () => {
    given([registered])
      .when(command('UpdateCustomerProfile', { changes: { region: '  ' } }))
      .thenThrows('value.required', { kind: 'invalid', field: 'changes.region' });
  });

  it('rejects an update that changes nothing', () => {
    given([registered])
      .when(command('UpdateCustomerProfile', { changes: {} }))
      .thenThrows('profile.no_changes', { kind: 'invalid', field: 'changes' });
  });

  it('rejects a malformed email', () => {
    given([registered])
      .when(command('UpdateCustomerProfile', { changes: { email: 'nope' } }))
      .thenThrows('value.invalid_email', { field: 'changes.email' });
  });

  it('refuses a profile update for an unknown customer as not found', () => {
    given([])
      .when(command('UpdateCustomerProfile', { changes: { city: 'Hangzhou' } }))
      .thenThrows('customer.unknown', { kind: 'not_found' });
  });
});

describe('erasure', () => {
  it('records the erasure', () => {
    given([registered])
      .when(command('EraseCustomer', { occurredAt: T2, reason: 'customer request' }))
      .then([{ type: 'CustomerErased', data: { customerId: CUSTOMER, reason: 'customer request' } }]);
  });

  it('refuses to erase twice', () => {
    given([registered, erased])
      .when(command('EraseCustomer', { occurredAt: T2, reason: 'again' }))
      .thenThrows('customer.erased');
  });

  it('refuses to erase an unknown customer', () => {
    given([])
      .when(command('EraseCustomer', { reason: 'x' }))
      .thenThrows('customer.unknown', { kind: 'not_found' });
  });

  it('requires a reason', () => {
    given([registered])
      .when(command('EraseCustomer', { reason: '' }))
      .thenThrows('value.required', { field: 'reason' });
  });
});

describe('any touchpoint', () => {
  const touchpoints = [
    command('LogCall', {
      callId: 'call-1',
      direction: 'inbound',
      durationSeconds: 60,
      agentId: 'a',
      topic: 't',
      outcome: 'resolved',
    }),
    command('RecordPurchase', {
      orderId: 'o-1',
      lines: [{ sku: 's', category: 'c', quantity: 1, unitPrice: 5 }],
      total: 5,
      currency: 'EUR',
    }),
    command('MakePromise', { promiseId: 'p', description: 'd', dueAt: T2, madeBy: 'a', withinPolicy: true }),
    command('FileComplaint', { complaintId: 'k', category: 'c', severity: 'low', description: 'd' }),
    command('RecordSurveyResponse', { surveyId: 's', kind: 'nps', score: 9 }),
  ];

  it.each(touchpoints.map((c) => [c.type, c]))('%s is refused for an unknown customer (404)', (_type, c) => {
    given([]).when(c).thenThrows('customer.unknown', { kind: 'not_found', field: 'customerId' });
  });

  it.each(touchpoints.map((c) => [c.type, c]))('%s is refused for an erased customer (409)', (_type, c) => {
    given([registered, erased]).when(c).thenThrows('customer.erased', { kind: 'conflict' });
  });

  it.each(touchpoints.map((c) => [c.type, c]))('%s is refused before the registration time', (_type, c) => {
    given([registered])
      .when({ ...c, occurredAt: BEFORE_T0 })
      .thenThrows('touchpoint.before_registration', { kind: 'invalid', field: 'occurredAt' });
  });

  it('accepts a touchpoint at the registration instant', () => {
    given([registered])
      .when(command('RecordSurveyResponse', { occurredAt: T0, surveyId: 's', kind: 'csat', score: 5 }))
      .then([{ type: 'SurveyResponded', data: { customerId: CUSTOMER, surveyId: 's', kind: 'csat', score: 5 } }]);
  });
});
