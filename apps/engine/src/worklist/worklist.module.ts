import { Module } from '@nestjs/common';
import {
  EngineConfig,
  CommandHandlingModule,
  CustomerWorkReader,
  HEALTH_CONFIG,
  healthConfigOf,
  HealthWatcher,
  WORKLIST_POLICY,
  WorklistEngine,
  worklistPolicyOf,
  WorklistScheduler,
  WorklistService,
} from '@rapport/application';
import { ReadModelsModule } from '../read-models/read-models.module';
import { FollowUpsController } from './follow-ups.controller';
import { WorklistController } from './worklist.controller';

/**
 * Customer health, the follow-up worklist and its engine (issue 14): the routes here, the watchers and
 * scheduler from @rapport/application (their ProjectionsService comes from the engine's ReadModelsModule).
 */
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
