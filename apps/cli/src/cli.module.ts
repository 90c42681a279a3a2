import { Module, type DynamicModule } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { CommandHandlingModule } from '../../engine/src/command-handling/command-handling.module';
import { CustomerStreamLoader } from '../../engine/src/command-handling/customer-stream-loader';
import {
  PERSONAL_DATA_PROTECTION,
  type PersonalDataProtection,
} from '../../engine/src/command-handling/personal-data-protection';
import type { EngineConfig } from '../../engine/src/config/engine-config';
import { EngineConfigModule } from '../../engine/src/config/engine-config.module';
import { CLOCK, type Clock } from '../../engine/src/infrastructure/clock';
import { PersistenceModule } from '../../engine/src/infrastructure/persistence.module';
import { ExportCommand } from './commands/export.command';
import { ImportCommand } from './commands/import.command';
import { RebuildCommand } from './commands/rebuild.command';
import { ReplayCommand } from './commands/replay.command';
import { SimulateCommand } from './commands/simulate.command';
import { VerifyExportCommand } from './commands/verify-export.command';
import { VerifyCommand } from './commands/verify.command';
import { BulkCommandRecorder } from './recording/bulk-command-recorder';

/**
 * `rapport`: the engine's own configuration, persistence (composition root) and command handling
 * modules in a standalone application context, plus one provider per command.
 */
@Module({})
export class CliModule {
  static forRoot(config: EngineConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [EngineConfigModule.forRoot(config), PersistenceModule.forRoot(), CommandHandlingModule],
      providers: [
        {
          provide: BulkCommandRecorder,
          useFactory: (
            store: EventStore,
            loader: CustomerStreamLoader,
            personalData: PersonalDataProtection,
            clock: Clock,
          ) => new BulkCommandRecorder(store, loader, personalData, clock),
          inject: [EVENT_STORE, CustomerStreamLoader, PERSONAL_DATA_PROTECTION, CLOCK],
        },
        ImportCommand,
        SimulateCommand,
        VerifyCommand,
        ExportCommand,
        VerifyExportCommand,
        ReplayCommand,
        RebuildCommand,
      ],
    };
  }
}
