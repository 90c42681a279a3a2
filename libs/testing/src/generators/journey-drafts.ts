import type { Actor, Channel, CustomerCommand } from '@rapport/domain';
import { FAMILY_NAMES, GIVEN_NAMES, SURVEY_COMMENTS, type Language, type Tone } from './comment-texts';
import type { Prng } from './prng';

/** A command before the envelope: its type, channel, actor and the fields besides customer and time. */
export interface Draft {
  type: CustomerCommand['type'];
  channel: Channel;
  actor: Actor;
  data: Record<string, unknown>;
}

export function surveyCommand(
  rng: Prng,
  surveyId: string,
  kinds: Record<'nps' | 'csat' | 'ces' | 'feedback', number>,
  mood: number,
  language: Language,
): Draft {
  const kind = rng.weighted(kinds);
  const tone: Tone = mood > 0.25 ? 'positive' : mood < -0.1 ? 'negative' : 'neutral';
  const score =
    kind === 'nps'
      ? clamp(Math.round(6.5 + 4 * mood + rng.normal(0, 1.2)), 0, 10)
      : kind === 'csat'
        ? clamp(Math.round(3.4 + 2 * mood + rng.normal(0, 0.6)), 1, 5)
        : kind === 'ces'
          ? clamp(Math.round(4.5 + 3 * mood + rng.normal(0, 0.9)), 1, 7)
          : undefined;
  const comment = kind === 'feedback' || rng.chance(0.6) ? rng.pick(SURVEY_COMMENTS[language][tone]) : undefined;
  return {
    type: 'RecordSurveyResponse',
    channel: rng.pick(['email', 'wechat', 'app', 'sms'] as const),
    actor: { id: 'survey-tool', role: 'agent' },
    data: { surveyId, kind, ...(score === undefined ? {} : { score }), ...(comment === undefined ? {} : { comment }) },
  };
}

export function personName(rng: Prng, language: Language): string {
  return language === 'zh'
    ? `${rng.pick(FAMILY_NAMES.zh)}${rng.pick(GIVEN_NAMES.zh)}`
    : `${rng.pick(GIVEN_NAMES.en)} ${rng.pick(FAMILY_NAMES.en)}`;
}

export const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
export const round2 = (value: number) => Math.round(value * 100) / 100;
export const iso = (ms: number) => new Date(Math.round(ms)).toISOString();
