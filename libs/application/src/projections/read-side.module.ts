import { Module } from '@nestjs/common';
import { AsOfReplayModule } from '../as-of/as-of-replay.module';
import { ComplaintSlaWatcher } from '../clock-decisions/complaint-sla-watcher';
import { DeadlineWatcher } from '../clock-decisions/deadline-watcher';
import { CommandHandlingModule } from '../command-handling/command-handling.module';
import { ScoringScheduler } from '../scoring/scoring.scheduler';
import { ScoringService } from '../scoring/scoring.service';
import { ProjectionsService } from './projections.service';

/**
 * The read side both the engine's routes and its watchers run on: projection hosting (per
 * PROJECTOR_ROLE), scoring and its schedule, and the deadline watchers that record overdue promises and
 * complaint SLA breaches. Needs the persistence module (global) and a ScheduleModule.forRoot().
 */
@Module({
  imports: [CommandHandlingModule, AsOfReplayModule],
  providers: [ProjectionsService, DeadlineWatcher, ComplaintSlaWatcher, ScoringService, ScoringScheduler],
  exports: [ProjectionsService, ScoringService, AsOfReplayModule],
})
export class ReadSideModule {}
