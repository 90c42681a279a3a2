import { join } from 'node:path';
import { loadBrowserModule } from './browser-module';

interface Effect {
  rule: string;
  effect: number | null;
  followedUp: { count: number };
  notFollowedUp: { count: number };
  weekly?: Array<{ week: number; followedUp: number | null; notFollowedUp: number | null }>;
}
interface WorklistMath {
  worklistQuery(params: Record<string, string | undefined>): Record<string, unknown> | null;
  urgencyCounts(items: Array<{ urgency: string }>): Record<string, number>;
  callIdFor(followUpId: string, nowMs: number): string;
  effectSeries(rule: Effect): {
    weeks: number[];
    followedUp: Array<number | null>;
    notFollowedUp: Array<number | null>;
  };
  rankEffects(rules: Effect[]): Effect[];
}

const math = loadBrowserModule<WorklistMath>(join(__dirname, '..', '..', 'console', 'worklist-math.js'));

describe('console worklist page helpers', () => {
  it('asks the API only with an agent or a team, keeping the valid filters', () => {
    expect(math.worklistQuery({ agent: ' ', team: '' })).toBeNull();
    expect(math.worklistQuery({ agent: 'agent-7', status: 'open', dueWithinDays: '1' })).toEqual({
      agent: 'agent-7',
      status: 'open',
      dueWithinDays: 1,
    });
    expect(math.worklistQuery({ team: 'care', status: 'bogus', dueWithinDays: '-3' })).toEqual({ team: 'care' });
    expect(math.worklistQuery({ team: 'care', dueWithinDays: '0' })).toEqual({ team: 'care', dueWithinDays: 0 });
  });

  it('counts follow-ups by urgency', () => {
    expect(
      math.urgencyCounts([{ urgency: 'overdue' }, { urgency: 'due' }, { urgency: 'overdue' }, { urgency: 'other' }]),
    ).toEqual({ overdue: 2, due: 1, upcoming: 0 });
  });

  it('gives each completion call an id of its own', () => {
    expect(math.callIdFor('fu-1', 1000)).not.toBe(math.callIdFor('fu-1', 2000));
    expect(math.callIdFor('fu-1', 1000)).toMatch(/^call-fu-1-/);
  });

  it('charts the weekly means and ranks rules with an effect first', () => {
    const a: Effect = { rule: 'revisit', effect: null, followedUp: { count: 9 }, notFollowedUp: { count: 0 } };
    const b: Effect = {
      rule: 'sentiment_drop',
      effect: 4,
      followedUp: { count: 1 },
      notFollowedUp: { count: 1 },
      weekly: [
        { week: 0, followedUp: 50, notFollowedUp: 52 },
        { week: 1, followedUp: 60, notFollowedUp: 51 },
      ],
    };
    expect(math.rankEffects([a, b]).map((r) => r.rule)).toEqual(['sentiment_drop', 'revisit']);
    expect(math.effectSeries(b)).toEqual({ weeks: [0, 1], followedUp: [50, 60], notFollowedUp: [52, 51] });
    expect(math.effectSeries(a)).toEqual({ weeks: [], followedUp: [], notFollowedUp: [] });
  });
});
