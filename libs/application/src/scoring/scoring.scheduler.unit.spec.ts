import { SchedulerRegistry } from '@nestjs/schedule';
import type { EngineConfig } from '../config/engine-config';
import { SCHEDULED, ScoringScheduler } from './scoring.scheduler';

/** A worker's asLeader as the scheduler sees it: runs the job only while `leads()` says so. */
const leading =
  (leads: () => boolean) =>
  <T>(work: () => Promise<T>): Promise<T | undefined> =>
    leads() ? work() : Promise.resolve(undefined);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ScoringScheduler', () => {
  it('given runs longer than the interval, when scheduled, then they never overlap nor queue up, and stop with the module', async () => {
    const registry = new SchedulerRegistry();
    let running = 0;
    let most = 0;
    let runs = 0;
    const scoring = {
      run: async () => {
        running += 1;
        most = Math.max(most, running);
        await sleep(60); // three intervals long
        running -= 1;
        runs += 1;
        return {} as never;
      },
      watchDeadlines: async () => ({}) as never,
    };
    const config = { SCORING_INTERVAL_SECONDS: 0.02, DEADLINE_WATCH_INTERVAL_SECONDS: 0 } as EngineConfig;
    const scheduler = new ScoringScheduler(
      config,
      { runsHere: true, asLeader: leading(() => true) },
      scoring,
      registry,
    );
    scheduler.onApplicationBootstrap();
    expect(registry.getTimeouts()).toEqual([SCHEDULED.scoring]);
    await sleep(300);
    scheduler.onModuleDestroy();
    const after = runs;
    await sleep(150);
    expect(most).toBe(1);
    expect(after).toBeGreaterThanOrEqual(2);
    expect(runs - after).toBeLessThanOrEqual(1); // at most the run in flight at shutdown ends
    expect(registry.getTimeouts()).toEqual([]);
  });

  it('given a failed run, the next one still comes; with the projections elsewhere, nothing is scheduled', async () => {
    const registry = new SchedulerRegistry();
    let calls = 0;
    const failing = {
      run: async () => ({}) as never,
      watchDeadlines: async () => {
        calls += 1;
        throw new Error('store down');
      },
    };
    const config = { SCORING_INTERVAL_SECONDS: 0, DEADLINE_WATCH_INTERVAL_SECONDS: 0.01 } as EngineConfig;
    const scheduler = new ScoringScheduler(
      config,
      { runsHere: true, asLeader: leading(() => true) },
      failing,
      registry,
    );
    (scheduler as unknown as { logger: { error: () => void } }).logger = { error: () => undefined };
    scheduler.onApplicationBootstrap();
    await sleep(80);
    scheduler.onModuleDestroy();
    expect(calls).toBeGreaterThanOrEqual(2);
    const elsewhere = new ScoringScheduler(
      config,
      { runsHere: false, asLeader: leading(() => false) },
      failing,
      new SchedulerRegistry(),
    );
    elsewhere.onApplicationBootstrap();
    expect(registry.getTimeouts()).toEqual([]);
  });

  it('given several projector workers, then only the one leading the cluster jobs runs them, and a worker that gains the lead starts running them', async () => {
    const registry = new SchedulerRegistry();
    let leads = false;
    let runs = 0;
    const scoring = {
      run: async () => {
        runs += 1;
        return {} as never;
      },
      watchDeadlines: async () => ({}) as never,
    };
    const config = { SCORING_INTERVAL_SECONDS: 0.01, DEADLINE_WATCH_INTERVAL_SECONDS: 0 } as EngineConfig;
    const scheduler = new ScoringScheduler(
      config,
      { runsHere: true, asLeader: leading(() => leads) },
      scoring,
      registry,
    );
    scheduler.onApplicationBootstrap();
    await sleep(80);
    expect(runs).toBe(0); // scheduled, but another worker leads
    expect(registry.getTimeouts()).toEqual([SCHEDULED.scoring]);
    leads = true;
    await sleep(80);
    scheduler.onModuleDestroy();
    expect(runs).toBeGreaterThanOrEqual(2);
  });
});
