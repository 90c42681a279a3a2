import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CommandHandlingModule, ReadSideModule } from '@rapport/application';
import { AnalyticsController } from './analytics.controller';
import { CustomerReadModelsController } from './customer-read-models.controller';
import { KpiController } from './kpi/kpi.controller';
import { KpiFactsService } from './kpi/kpi-facts.service';
import { ProjectionsController } from './projections.controller';
import { ScoringRunsController } from './scoring-runs.controller';

/**
 * The read side's routes: projection admin, the per-customer and analyst queries, scoring runs and KPIs,
 * over the application's read side (projection hosting, scoring, the deadline watchers).
 */
@Module({
  imports: [ScheduleModule.forRoot(), CommandHandlingModule, ReadSideModule],
  controllers: [
    ProjectionsController,
    CustomerReadModelsController,
    AnalyticsController,
    ScoringRunsController,
    KpiController,
  ],
  providers: [KpiFactsService],
})
export class ReadModelsModule {}
