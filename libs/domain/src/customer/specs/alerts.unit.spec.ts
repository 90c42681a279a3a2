import { given } from '@rapport/testing';
import { command, CUSTOMER, event, registered, T1, T2, T3 } from './fixtures';

const erased = event(T1, { type: 'CustomerErased', data: { customerId: CUSTOMER, reason: 'customer request' } });

const stageChange = (fields: Record<string, unknown> = {}) =>
  command('RecordLifecycleStageChange', {
    occurredAt: T2,
    noticedAt: T3,
    from: 'growth',
    to: 'decline',
    reason: 'no purchase for 120 days',
    run: 'run-7',
    ...fields,
  } as never);
const drop = (fields: Record<string, unknown> = {}) =>
  command('RecordSentimentDrop', {
    occurredAt: T2,
    noticedAt: T3,
    amount: 0.55,
    rollingMean: -0.25,
    highMean: 0.3,
    highAt: T1,
    positions: [7, 9],
    ...fields,
  } as never);

describe('alerts the system records (lifecycle stage changes, sentiment drops)', () => {
  it('given a registered customer, when the watcher records a stage change, then the event says from and to, with the run', () => {
    given([registered])
      .when(stageChange())
      .then([
        {
          type: 'LifecycleStageChanged',
          data: {
            customerId: CUSTOMER,
            from: 'growth',
            to: 'decline',
            reason: 'no purchase for 120 days',
            run: 'run-7',
          },
        },
      ]);
  });

  it('given a registered customer, when the watcher records a sentiment drop, then the event carries the figures and the events behind it', () => {
    given([registered])
      .when(drop())
      .then([
        {
          type: 'SentimentDropped',
          data: {
            customerId: CUSTOMER,
            amount: 0.55,
            rollingMean: -0.25,
            highMean: 0.3,
            highAt: T1,
            positions: [7, 9],
          },
        },
      ]);
  });

  it('refuses an alert noticed before the moment it is about, a stage change to the same stage, an unknown stage and a drop that is none', () => {
    given([registered])
      .when(stageChange({ noticedAt: T1 }))
      .thenThrows('alert.noticed_before_occurred', { kind: 'invalid', field: 'noticedAt' });
    given([registered])
      .when(stageChange({ from: 'decline' }))
      .thenThrows('lifecycle.stage_unchanged', { kind: 'conflict' });
    given([registered])
      .when(stageChange({ to: 'retired' }))
      .thenThrows('value.invalid_enum', { field: 'to' });
    given([registered])
      .when(drop({ amount: 0 }))
      .thenThrows('value.not_positive', { field: 'amount' });
    given([registered])
      .when(drop({ noticedAt: T1 }))
      .thenThrows('alert.noticed_before_occurred', { kind: 'invalid' });
  });

  it('records nothing for an unknown or erased customer', () => {
    given([]).when(drop()).thenThrows('customer.unknown', { kind: 'not_found' });
    given([registered, erased]).when(stageChange()).thenThrows('customer.erased', { kind: 'conflict' });
  });
});
