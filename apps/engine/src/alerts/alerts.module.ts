import { Module } from '@nestjs/common';
import { AlertScheduler, AlertWatcher, CommandHandlingModule } from '@rapport/application';
import { ReadModelsModule } from '../read-models/read-models.module';

/**
 * Alerts as events: sentiment drops and lifecycle stage changes noticed in the read models (issue 18). The
 * watcher and its scheduler live in @rapport/application; this module stays here because the
 * ProjectionsService they need is provided by the engine's ReadModelsModule.
 */
@Module({
  imports: [CommandHandlingModule, ReadModelsModule],
  providers: [AlertWatcher, AlertScheduler],
  exports: [AlertWatcher],
})
export class AlertsModule {}
