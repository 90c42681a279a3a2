import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ClockDecisionRecorder } from '../clock-decisions/clock-decision-recorder';
import { CustomerCommandService } from './customer-command.service';
import { CustomerStreamLoader } from './customer-stream-loader';
import { ProfileChangeCheck } from './profile-change-check';
import { RecordCustomerCommandHandler } from './record-customer-command.handler';
import { SnapshotStore } from './snapshot-store';

/**
 * The write path: the load-decide-append loop and the one handler that records every customer command
 * sent on the CommandBus, and the loop that records what the clock decided (ClockDecisionRecorder).
 * The stores, the cipher and the clock come from the global persistence module.
 */
@Module({
  imports: [CqrsModule],
  providers: [
    SnapshotStore,
    CustomerStreamLoader,
    CustomerCommandService,
    ProfileChangeCheck,
    RecordCustomerCommandHandler,
    ClockDecisionRecorder,
  ],
  exports: [CustomerCommandService, CustomerStreamLoader, ClockDecisionRecorder, CqrsModule],
})
export class CommandHandlingModule {}
