import { Module } from '@nestjs/common';
import { CommandHandlingModule } from '@rapport/application';
import { ReadModelsModule } from '../read-models/read-models.module';
import { AlertScheduler } from './alert.scheduler';
import { AlertWatcher } from './alert-watcher.service';

/** Alerts as events: sentiment drops and lifecycle stage changes noticed in the read models (issue 18). */
@Module({
  imports: [CommandHandlingModule, ReadModelsModule],
  providers: [AlertWatcher, AlertScheduler],
  exports: [AlertWatcher],
})
export class AlertsModule {}
