import { isSurveyScoreInRange, normaliseSurveyScore, npsCategory } from './survey-score';

describe('normaliseSurveyScore', () => {
  it('maps NPS 0-10 so 0 is -1, 5 is 0 and 10 is 1', () => {
    expect([0, 5, 10, 9].map((s) => normaliseSurveyScore('nps', s))).toEqual([-1, 0, 1, 0.8]);
  });

  it('maps CSAT 1-5 so 1 is -1, 3 is 0 and 5 is 1', () => {
    expect([1, 3, 5, 4].map((s) => normaliseSurveyScore('csat', s))).toEqual([-1, 0, 1, 0.5]);
  });

  it('maps CES 1-7 (7 = strongly agree the company made it easy) so 7 is 1 and 1 is -1', () => {
    expect([1, 4, 7].map((s) => normaliseSurveyScore('ces', s))).toEqual([-1, 0, 1]);
  });

  it('rejects out-of-range or fractional scores naming the field and the rule', () => {
    expect(() => normaliseSurveyScore('csat', 6)).toThrow('score: a csat score must be an integer from 1 to 5, got 6');
    expect(() => normaliseSurveyScore('nps', 7.5)).toThrow(/score: a nps score must be an integer from 0 to 10/);
    expect(isSurveyScoreInRange('ces', 0)).toBe(false);
  });

  it('names the NPS category', () => {
    expect([10, 8, 6].map(npsCategory)).toEqual(['promoter', 'passive', 'detractor']);
  });
});
