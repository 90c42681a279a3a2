import { Module } from '@nestjs/common';
import { CommandHandlingModule } from '@rapport/application';
import { CallsController } from './calls/calls.controller';
import { ComplaintsController } from './complaints/complaints.controller';
import { CustomersController } from './customers/customers.controller';
import { ErasureController } from './erasure/erasure.controller';
import { PromisesController } from './promises/promises.controller';
import { PurchasesController } from './purchases/purchases.controller';
import { SurveysController } from './surveys/surveys.controller';

/** The command API: one controller per touchpoint; the write path's one handler records every customer command. */
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
})
export class TouchpointsModule {}
