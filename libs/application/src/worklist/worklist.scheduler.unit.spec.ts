import { SchedulerRegistry } from '@nestjs/schedule';
import type { EngineConfig } from '../config/engine-config';
import { AlertScheduler } from '../alerts/alert.scheduler';
import { WORKLIST_SCHEDULE, WorklistScheduler } from './worklist.scheduler';

/** A worker's asLeader as the scheduler sees it: runs the job only while `leads()` says so. */
const leading =
  (leads: () => boolean) =>
  <T>(work: () => Promise<T>): Promise<T | undefined> =>
    leads() ? work() : Promise.resolve(undefined);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the worklist and alert schedules across projector workers', () => {
  it('given a worker that does not lead the cluster jobs, then it keeps the schedule but passes only once it leads', async () => {
    let leads = false;
    let worklistPasses = 0;
    let alertPasses = 0;
    const registry = new SchedulerRegistry();
    const config = { WORKLIST_INTERVAL_SECONDS: 0.01, DEADLINE_WATCH_INTERVAL_SECONDS: 0.01 } as EngineConfig;
    const projections = { runsHere: true, asLeader: leading(() => leads) };
    const worklist = new WorklistScheduler(
      config,
      projections,
      { pass: async () => void (worklistPasses += 1) as never },
      registry,
    );
    const alerts = new AlertScheduler(config, projections, { pass: async () => void (alertPasses += 1) as never });
    worklist.onApplicationBootstrap();
    alerts.onApplicationBootstrap();
    await sleep(80);
    expect([worklistPasses, alertPasses]).toEqual([0, 0]);
    expect(registry.getTimeouts()).toEqual([WORKLIST_SCHEDULE]);
    leads = true;
    await sleep(80);
    worklist.onModuleDestroy();
    alerts.onModuleDestroy();
    expect(worklistPasses).toBeGreaterThanOrEqual(2);
    expect(alertPasses).toBeGreaterThanOrEqual(2);
  });
});
