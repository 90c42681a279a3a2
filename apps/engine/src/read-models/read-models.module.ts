import { Module } from '@nestjs/common';
import {
  PersonalDataReader,
  CommandHandlingModule,
  SealedDataRevealer,
  ProjectionsService,
  ComplaintSlaWatcher,
  DeadlineWatcher,
  ScoringScheduler,
  ScoringService,
} from '@rapport/application';
import { AnalyticsController } from './analytics.controller';
import { CustomerReadModelsController } from './customer-read-models.controller';
import { KpiController } from './kpi/kpi.controller';
import { KpiFactsService } from './kpi/kpi-facts.service';
import { ScoringRunsController } from './scoring-runs.controller';
import { ProjectionsController } from './projections.controller';
import { ScheduleModule } from '@nestjs/schedule';

/**
 * The read side: the projection runner (per PROJECTOR_ROLE), the per-customer and analyst queries,
 * scoring with the CLV fit, and the deadline watchers that record overdue promises and complaint SLA breaches.
 */
@Module({
  imports: [CommandHandlingModule, ScheduleModule.forRoot()],
  controllers: [
    ProjectionsController,
    CustomerReadModelsController,
    AnalyticsController,
    ScoringRunsController,
    KpiController,
  ],
  providers: [
    ProjectionsService,
    PersonalDataReader,
    SealedDataRevealer,
    DeadlineWatcher,
    ComplaintSlaWatcher,
    ScoringService,
    ScoringScheduler,
    KpiFactsService,
  ],
  exports: [ProjectionsService, SealedDataRevealer, ScoringService],
})
export class ReadModelsModule {}
