import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CustomerCommandService } from './customer-command.service';
import { CustomerStreamLoader } from './customer-stream-loader';
import { ProfileChangeCheck } from './profile-change-check';
import { RecordCustomerCommandHandler } from './record-customer-command.handler';
import { SnapshotStore } from './snapshot-store';

/**
 * The write path: the load-decide-append loop and the one handler that records every customer command
 * sent on the CommandBus. The stores, the cipher and the clock come from the global persistence module.
 */
@Module({
  imports: [CqrsModule],
  providers: [
    SnapshotStore,
    CustomerStreamLoader,
    CustomerCommandService,
    ProfileChangeCheck,
    RecordCustomerCommandHandler,
  ],
  exports: [CustomerCommandService, CustomerStreamLoader, CqrsModule],
})
export class CommandHandlingModule {}
