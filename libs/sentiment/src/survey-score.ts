import type { SurveyKind } from '@rapport/domain';

export type ScoredSurveyKind = Exclude<SurveyKind, 'feedback'>;

/**
 * Each survey on its own scale, mapped linearly so the scale's midpoint is 0 and its ends are -1 and 1:
 * - NPS 0-10 ("how likely to recommend"): (score - 5) / 5.
 * - CSAT 1-5 ("how satisfied"): (score - 3) / 2.
 * - CES 1-7, CES 2.0 agreement with "the company made it easy to handle my issue",
 *   1 = strongly disagree (high effort, bad), 7 = strongly agree (low effort, good): (score - 4) / 3.
 */
export const SURVEY_SCALES: Readonly<Record<ScoredSurveyKind, { min: number; max: number }>> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};

export function isScoredSurveyKind(kind: string): kind is ScoredSurveyKind {
  return kind in SURVEY_SCALES;
}

export function isSurveyScoreInRange(kind: ScoredSurveyKind, score: number): boolean {
  const { min, max } = SURVEY_SCALES[kind];
  return Number.isInteger(score) && score >= min && score <= max;
}

/** Normalises a survey score to -1..1; throws naming the field and the rule when it is out of range. */
export function normaliseSurveyScore(kind: ScoredSurveyKind, score: number): number {
  const scale = SURVEY_SCALES[kind];
  if (!isSurveyScoreInRange(kind, score)) {
    throw new RangeError(`score: a ${kind} score must be an integer from ${scale.min} to ${scale.max}, got ${score}`);
  }
  const mid = (scale.min + scale.max) / 2;
  return (score - mid) / (scale.max - mid);
}

/** NPS category of a 0-10 answer: promoters 9-10, passives 7-8, detractors 0-6. */
export function npsCategory(score: number): 'promoter' | 'passive' | 'detractor' {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}
