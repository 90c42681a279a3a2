import { DEFAULT_HEALTH_CONFIG } from '@rapport/projections/customer-health/health-config';
import { InvalidConfigError, validateEngineConfig } from './engine-config';
import { healthConfigOf, worklistPolicyOf } from './worklist-config';

describe('health and worklist configuration', () => {
  it('given no variables, then the documented defaults apply', () => {
    const config = validateEngineConfig({});
    expect(healthConfigOf(config)).toEqual(DEFAULT_HEALTH_CONFIG);
    expect(worklistPolicyOf(config)).toMatchObject({
      revisitDays: { A: 30, B: 90, C: 0 },
      promiseDueSoonHours: 48,
      slaAtRiskHours: 4,
    });
  });

  it('given overrides, then they replace the defaults they name', () => {
    const config = validateEngineConfig({
      HEALTH_WEIGHTS: 'recency:40, npsPromoter:0',
      HEALTH_BANDS: 'healthy:80,watch:50',
      WORKLIST_REVISIT_DAYS: 'A:7,C:180',
      WORKLIST_SLA_AT_RISK_HOURS: '2',
    });
    const health = healthConfigOf(config);
    expect(health.weights).toMatchObject({ recency: 40, npsPromoter: 0, probabilityAlive: 20 });
    expect([health.healthyFrom, health.watchFrom]).toEqual([80, 50]);
    expect(worklistPolicyOf(config)).toMatchObject({ revisitDays: { A: 7, B: 90, C: 180 }, slaAtRiskHours: 2 });
  });

  it.each([
    [{ HEALTH_WEIGHTS: 'recency:-5' }, 'HEALTH_WEIGHTS.recency'],
    [{ HEALTH_WEIGHTS: 'recency' }, 'HEALTH_WEIGHTS: "recency" is not key:number'],
    [{ HEALTH_WEIGHTS: 'loyalty:3' }, 'HEALTH_WEIGHTS.loyalty: unknown weight'],
    [{ HEALTH_BANDS: 'healthy:30,watch:60' }, 'HEALTH_BANDS.watch (60) must be below HEALTH_BANDS.healthy (30)'],
    [{ HEALTH_BANDS: 'great:90' }, 'HEALTH_BANDS: unknown band great'],
    [{ WORKLIST_REVISIT_DAYS: 'D:3' }, 'WORKLIST_REVISIT_DAYS.D: unknown tier'],
    [{ WORKLIST_PROMISE_DUE_SOON_HOURS: '0' }, 'WORKLIST_PROMISE_DUE_SOON_HOURS'],
  ])('refuses to start with %j, naming the variable', (env, message) => {
    expect(() => validateEngineConfig(env)).toThrow(InvalidConfigError);
    expect(() => validateEngineConfig(env)).toThrow(message);
  });
});
