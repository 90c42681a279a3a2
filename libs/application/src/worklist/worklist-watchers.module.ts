import { Module } from '@nestjs/common';
import { CommandHandlingModule } from '../command-handling/command-handling.module';
import { EngineConfig } from '../config/engine-config';
import { healthConfigOf, HEALTH_CONFIG, WORKLIST_POLICY, worklistPolicyOf } from '../config/worklist-config';
import { ReadSideModule } from '../projections/read-side.module';
import { CustomerWorkReader } from './customer-work-reader';
import { HealthWatcher } from './health-watcher.service';
import { WorklistEngine } from './worklist-engine.service';
import { WorklistScheduler } from './worklist.scheduler';
import { WorklistService } from './worklist.service';

/** Customer health and the follow-up worklist (issue 14): the watchers, their policy and their schedule. */
@Module({
  imports: [CommandHandlingModule, ReadSideModule],
  providers: [
    { provide: HEALTH_CONFIG, useFactory: (config: EngineConfig) => healthConfigOf(config), inject: [EngineConfig] },
    {
      provide: WORKLIST_POLICY,
      useFactory: (config: EngineConfig) => worklistPolicyOf(config),
      inject: [EngineConfig],
    },
    CustomerWorkReader,
    HealthWatcher,
    WorklistEngine,
    WorklistService,
    WorklistScheduler,
  ],
  exports: [HEALTH_CONFIG, CustomerWorkReader, WorklistService, ReadSideModule],
})
export class WorklistWatchersModule {}
