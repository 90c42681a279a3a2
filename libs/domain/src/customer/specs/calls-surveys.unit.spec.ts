import { given } from '@rapport/testing';
import { command, CUSTOMER, event, registered } from './fixtures';

describe('calls', () => {
  const call = (fields: Record<string, unknown> = {}) =>
    command('LogCall', {
      callId: 'call-1',
      direction: 'outbound',
      durationSeconds: 95,
      agentId: 'agent-1',
      topic: 'delivery',
      outcome: 'follow_up',
      ...fields,
    });

  it('logs a call with its notes', () => {
    given([registered])
      .when(call({ notes: 'will call back tomorrow' }))
      .then([
        {
          type: 'CallLogged',
          data: {
            customerId: CUSTOMER,
            callId: 'call-1',
            direction: 'outbound',
            durationSeconds: 95,
            agentId: 'agent-1',
            topic: 'delivery',
            outcome: 'follow_up',
            notes: 'will call back tomorrow',
          },
        },
      ]);
  });

  it('refuses the same call id twice', () => {
    const logged = event('2024-01-02T00:00:00Z', {
      type: 'CallLogged',
      data: {
        customerId: CUSTOMER,
        callId: 'call-1',
        direction: 'inbound',
        durationSeconds: 1,
        agentId: 'a',
        topic: 't',
        outcome: 'resolved',
      },
    });
    given([registered, logged]).when(call()).thenThrows('call.duplicate_id', { kind: 'conflict', field: 'callId' });
  });

  it.each([
    [{ direction: 'sideways' }, 'value.invalid_enum', 'direction'],
    [{ outcome: 'maybe' }, 'value.invalid_enum', 'outcome'],
    [{ durationSeconds: -1 }, 'value.negative', 'durationSeconds'],
    [{ durationSeconds: 1.5 }, 'value.not_an_integer', 'durationSeconds'],
    [{ agentId: '' }, 'value.required', 'agentId'],
    // The one id rule (as the HTTP DTOs declare it): URL-safe, starting with a letter or digit, at most 200.
    [{ agentId: 'agent 7' }, 'value.invalid_id', 'agentId'],
    [{ callId: '-k1' }, 'value.invalid_id', 'callId'],
    [{ callId: 'k/1' }, 'value.invalid_id', 'callId'],
    [{ callId: 'k'.repeat(201) }, 'value.too_long', 'callId'],
    [{ notes: 'x'.repeat(10_001) }, 'value.too_long', 'notes'],
  ] as const)('rejects %p with %s naming %s', (fields, rule, field) => {
    given([registered]).when(call(fields)).thenThrows(rule, { kind: 'invalid', field });
  });
});

describe('survey responses', () => {
  const respond = (fields: Record<string, unknown>) =>
    command('RecordSurveyResponse', { surveyId: 's-1', kind: 'nps', ...fields });

  it.each([
    ['nps', 0],
    ['nps', 10],
    ['csat', 1],
    ['csat', 5],
    ['ces', 1],
    ['ces', 7],
  ] as const)('accepts a %s score of %d', (kind, score) => {
    given([registered])
      .when(respond({ kind, score, comment: 'ok' }))
      .then([{ type: 'SurveyResponded', data: { customerId: CUSTOMER, surveyId: 's-1', kind, score, comment: 'ok' } }]);
  });

  it.each([
    ['nps', -1],
    ['nps', 11],
    ['nps', 7.5],
    ['csat', 0],
    ['csat', 6],
    ['ces', 0],
    ['ces', 8],
  ] as const)('refuses a %s score of %d', (kind, score) => {
    given([registered])
      .when(respond({ kind, score }))
      .thenThrows('survey.score_out_of_range', { kind: 'invalid', field: 'score' });
  });

  it('needs a score for scored kinds', () => {
    given([registered])
      .when(respond({ kind: 'csat', comment: 'fine' }))
      .thenThrows('survey.score_required', { field: 'score' });
  });

  it('accepts free feedback with a comment and no score', () => {
    given([registered])
      .when(respond({ kind: 'feedback', comment: '服务很好' }))
      .then([
        {
          type: 'SurveyResponded',
          data: { customerId: CUSTOMER, surveyId: 's-1', kind: 'feedback', comment: '服务很好' },
        },
      ]);
  });

  it('refuses free feedback without a comment, or with a score', () => {
    given([registered])
      .when(respond({ kind: 'feedback', comment: ' ' }))
      .thenThrows('survey.comment_required', { field: 'comment' });
    given([registered])
      .when(respond({ kind: 'feedback', comment: 'x', score: 3 }))
      .thenThrows('survey.score_not_allowed', { field: 'score' });
  });

  it('refuses an unknown survey kind', () => {
    given([registered])
      .when(respond({ kind: 'poll', score: 1 }))
      .thenThrows('value.invalid_enum', { field: 'kind' });
  });

  it('refuses a second answer to the same survey', () => {
    const answered = event('2024-01-02T00:00:00Z', {
      type: 'SurveyResponded',
      data: { customerId: CUSTOMER, surveyId: 's-1', kind: 'nps', score: 3 },
    });
    given([registered, answered])
      .when(respond({ score: 9 }))
      .thenThrows('survey.duplicate_id', { kind: 'conflict' });
  });
});
