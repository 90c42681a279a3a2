import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CustomerCommandService } from './customer-command.service';
import { CustomerStreamLoader } from './customer-stream-loader';
import { SnapshotStore } from './snapshot-store';

/** The shared load-decide-append loop; the stores and the cipher come from the global persistence module. */
@Module({
  imports: [CqrsModule],
  providers: [SnapshotStore, CustomerStreamLoader, CustomerCommandService],
  exports: [CustomerCommandService, CustomerStreamLoader, CqrsModule],
})
export class CommandHandlingModule {}
