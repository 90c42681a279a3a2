import { Module } from '@nestjs/common';
import {
  EngineConfig,
  CommandHandlingModule,
  HEALTH_CONFIG,
  healthConfigOf,
  WORKLIST_POLICY,
  worklistPolicyOf,
} from '@rapport/application';
import { ReadModelsModule } from '../read-models/read-models.module';
import { CustomerWorkReader } from './customer-work-reader';
import { FollowUpsController } from './follow-ups.controller';
import { HealthWatcher } from './health-watcher.service';
import { WorklistController } from './worklist.controller';
import { WorklistEngine } from './worklist-engine.service';
import { WorklistScheduler } from './worklist.scheduler';
import { WorklistService } from './worklist.service';

/** Customer health, the follow-up worklist and its engine (issue 14). */
@Module({
  imports: [CommandHandlingModule, ReadModelsModule],
  controllers: [WorklistController, FollowUpsController],
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
  exports: [WorklistService],
})
export class WorklistModule {}
