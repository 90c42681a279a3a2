import { Module } from '@nestjs/common';
import { CommandHandlingModule } from '../command-handling/command-handling.module';
import { ReadSideModule } from '../projections/read-side.module';
import { AlertScheduler } from './alert.scheduler';
import { AlertWatcher } from './alert-watcher.service';

/** Alerts as events: sentiment drops and lifecycle stage changes noticed in the read models (issue 18). */
@Module({
  imports: [CommandHandlingModule, ReadSideModule],
  providers: [AlertWatcher, AlertScheduler],
  exports: [AlertWatcher],
})
export class AlertsModule {}
