import { decide, evolve, initialState, type CustomerState } from '@rapport/domain/customer';
import type { CustomerEvent } from '@rapport/domain';
import { generatePopulation } from './population-generator';
import { Prng } from './prng';

describe('Prng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: string) =>
      Array.from(
        { length: 5 },
        (
          (rng) => () =>
            rng.next()
        )(new Prng(seed)),
      );
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });

  it('draws weighted choices in proportion to their weights', () => {
    const rng = new Prng(7);
    let heavy = 0;
    for (let i = 0; i < 10_000; i++) if (rng.weighted({ heavy: 3, light: 1 }) === 'heavy') heavy++;
    expect(heavy / 10_000).toBeGreaterThan(0.72);
    expect(heavy / 10_000).toBeLessThan(0.78);
  });
});

describe('generatePopulation', () => {
  const population = generatePopulation({ customers: 400, days: 365, seed: 'plausible' });
  const { commands, customers } = population;

  it('is deterministic for a seed and differs for another', () => {
    const again = generatePopulation({ customers: 400, days: 365, seed: 'plausible' });
    expect(again.commands).toEqual(commands);
    const other = generatePopulation({ customers: 400, days: 365, seed: 'other' });
    expect(other.commands).not.toEqual(commands);
  });

  it('keeps customer k the same whatever the population size', () => {
    const small = generatePopulation({ customers: 10, days: 365, seed: 'plausible' });
    const first = (cs: typeof commands) => cs.filter((c) => c.command.customerId === customers[3]!.customerId);
    expect(first(small.commands)).toEqual(first(commands));
  });

  it('produces commands in business-time order, inside the window, with unique idempotency keys', () => {
    const times = commands.map((c) => c.command.occurredAt);
    expect([...times].sort()).toEqual(times);
    expect(times[0]! >= '2024-01-01').toBe(true);
    expect(times.at(-1)! < '2025-01-01').toBe(true);
    expect(new Set(commands.map((c) => c.idempotencyKey)).size).toBe(commands.length);
  });

  it('is accepted by the customer decider, command after command', () => {
    const states = new Map<string, CustomerState>();
    for (const { command } of commands) {
      const state = states.get(command.customerId) ?? initialState();
      const decided = decide(command, state);
      const meta = { occurredAt: command.occurredAt } as CustomerEvent['metadata'];
      states.set(
        command.customerId,
        decided.reduce((s, e) => evolve(s, { ...e, metadata: meta } as CustomerEvent), state),
      );
    }
    expect(states.size).toBe(400);
  });

  it('draws purchase rhythms roughly as configured and one registration per customer', () => {
    const share = (rhythm: string) => customers.filter((c) => c.rhythm === rhythm).length / customers.length;
    expect(share('occasional')).toBeGreaterThan(0.25);
    expect(share('occasional')).toBeLessThan(0.42);
    expect(share('frequent')).toBeGreaterThan(0.08);
    expect(share('frequent')).toBeLessThan(0.22);
    expect(commands.filter((c) => c.command.type === 'RegisterCustomer')).toHaveLength(400);
  });

  it('makes frequent buyers buy more often than occasional ones and one-off buyers once', () => {
    const purchasesOf = (rhythm: string) => {
      const ids = new Set(customers.filter((c) => c.rhythm === rhythm).map((c) => c.customerId));
      const perCustomer = new Map<string, number>();
      for (const { command } of commands) {
        if (command.type === 'RecordPurchase' && ids.has(command.customerId))
          perCustomer.set(command.customerId, (perCustomer.get(command.customerId) ?? 0) + 1);
      }
      return {
        mean: [...perCustomer.values()].reduce((a, b) => a + b, 0) / ids.size,
        max: Math.max(...perCustomer.values()),
      };
    };
    expect(purchasesOf('frequent').mean).toBeGreaterThan(2 * purchasesOf('occasional').mean);
    expect(purchasesOf('one_off').max).toBe(1);
  });

  it('keeps most promises, breaks some, and lets some complaints breach their SLA', () => {
    const count = (type: string) => commands.filter((c) => c.command.type === type).length;
    expect(count('KeepPromise')).toBeGreaterThan(count('BreakPromise') * 2);
    expect(count('BreakPromise')).toBeGreaterThan(0);
    expect(count('RenegotiatePromise')).toBeGreaterThan(0);
    expect(count('RecordComplaintSlaBreach')).toBeGreaterThan(0);
    expect(count('RecordComplaintSlaBreach')).toBeLessThan(count('FileComplaint'));
  });

  it('writes comments in English and Chinese whose tone follows the score', () => {
    const surveys = commands
      .map((c) => c.command)
      .filter((c) => c.type === 'RecordSurveyResponse' && c.kind === 'nps' && c.comment !== undefined);
    const zh = surveys.filter((s) => /[\u4e00-\u9fff]/.test((s as { comment: string }).comment));
    expect(zh.length).toBeGreaterThan(0);
    expect(zh.length).toBeLessThan(surveys.length);
    const meanScore = (tone: RegExp) => {
      const picked = surveys.filter((s) => tone.test((s as { comment: string }).comment)) as { score: number }[];
      return picked.reduce((sum, s) => sum + s.score, 0) / picked.length;
    };
    expect(meanScore(/excellent|great|谢谢|满意|很好/i)).toBeGreaterThan(
      meanScore(/terrible|awful|失望|太差|糟糕/i) + 1,
    );
  });
});
