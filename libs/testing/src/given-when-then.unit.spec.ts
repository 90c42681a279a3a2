import { at, given } from './given-when-then';

const registered = at('2024-01-01T00:00:00Z', {
  type: 'CustomerRegistered',
  data: {
    customerId: 'c',
    name: 'N',
    acquisitionChannel: 'web',
    acquisitionCost: 0,
    region: 'r',
    city: 'c',
    demographics: {},
  },
});
const survey = {
  type: 'RecordSurveyResponse',
  customerId: 'c',
  occurredAt: '2024-01-02T00:00:00Z',
  surveyId: 's',
  kind: 'nps',
  score: 9,
} as const;

describe('given/when/then', () => {
  it('passes when the decided events match', () => {
    given([registered])
      .when(survey)
      .then([{ type: 'SurveyResponded', data: { customerId: 'c', surveyId: 's', kind: 'nps', score: 9 } }]);
  });

  it('fails when the decided events differ', () => {
    expect(() => given([registered]).when(survey).then([])).toThrow();
  });

  it('returns the domain error of the expected rule', () => {
    const error = given([]).when(survey).thenThrows('customer.unknown', { kind: 'not_found' });
    expect(error.message).toContain('not registered');
  });

  it('fails when the command is accepted, or refused for another rule or kind', () => {
    expect(() => given([registered]).when(survey).thenThrows('customer.unknown')).toThrow(/accepted/);
    expect(() => given([]).when(survey).thenThrows('customer.erased')).toThrow();
    expect(() => given([]).when(survey).thenThrows('customer.unknown', { kind: 'conflict' })).toThrow();
  });
});
