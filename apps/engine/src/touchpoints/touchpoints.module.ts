import { Module } from '@nestjs/common';
import { CommandHandlingModule } from '../command-handling/command-handling.module';
import { CallsController } from './calls/calls.controller';
import { ComplaintsController } from './complaints/complaints.controller';
import { CustomersController } from './customers/customers.controller';
import { ProfileChangeCheck } from './customers/profile-change-check';
import { ErasureController } from './erasure/erasure.controller';
import { PromisesController } from './promises/promises.controller';
import { PurchasesController } from './purchases/purchases.controller';
import { RecordCustomerCommandHandler } from './record-customer-command.handler';
import { SurveysController } from './surveys/surveys.controller';

/** The command API: one controller per touchpoint; one handler records every customer command. */
@Module({
  imports: [CommandHandlingModule],
  controllers: [
    CustomersController,
    CallsController,
    PurchasesController,
    PromisesController,
    ComplaintsController,
    SurveysController,
    ErasureController,
  ],
  providers: [RecordCustomerCommandHandler, ProfileChangeCheck],
})
export class TouchpointsModule {}
