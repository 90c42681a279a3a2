import { Module, type DynamicModule } from '@nestjs/common';
import { CommandHandlingModule, type EngineConfig, EngineConfigModule, PersistenceModule } from '@rapport/application';
import { ExportCommand } from './commands/export.command';
import { ImportCommand } from './commands/import.command';
import { RebuildCommand } from './commands/rebuild.command';
import { ReplayCommand } from './commands/replay.command';
import { SimulateCommand } from './commands/simulate.command';
import { VerifyExportCommand } from './commands/verify-export.command';
import { VerifyCommand } from './commands/verify.command';
import { BulkCommandRecorder } from './recording/bulk-command-recorder';
import { WebhooksCommand } from './webhooks/webhooks.command';

/**
 * `rapport`: the application's configuration, persistence (composition root) and command handling
 * modules (@rapport/application, as the engine runs them) in a standalone context, plus one provider per command.
 */
@Module({})
export class CliModule {
  static forRoot(config: EngineConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [EngineConfigModule.forRoot(config), PersistenceModule.forRoot(), CommandHandlingModule],
      providers: [
        BulkCommandRecorder,
        ImportCommand,
        SimulateCommand,
        VerifyCommand,
        ExportCommand,
        VerifyExportCommand,
        ReplayCommand,
        RebuildCommand,
        WebhooksCommand,
      ],
    };
  }
}
