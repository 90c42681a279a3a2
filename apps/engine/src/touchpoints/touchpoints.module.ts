import { Module } from '@nestjs/common';
import { CommandHandlingModule } from '../command-handling/command-handling.module';
import { CallsController } from './calls/calls.controller';
import { LogCallHandler } from './calls/log-call.handler';
import { AcknowledgeComplaintHandler } from './complaints/acknowledge-complaint.handler';
import { ComplaintsController } from './complaints/complaints.controller';
import { EscalateComplaintHandler } from './complaints/escalate-complaint.handler';
import { FileComplaintHandler } from './complaints/file-complaint.handler';
import { ReopenComplaintHandler } from './complaints/reopen-complaint.handler';
import { AwaitComplaintCustomerHandler } from './complaints/await-complaint-customer.handler';
import { RecordComplaintCustomerResponseHandler } from './complaints/record-complaint-customer-response.handler';
import { ResolveComplaintHandler } from './complaints/resolve-complaint.handler';
import { CustomersController } from './customers/customers.controller';
import { RegisterCustomerHandler } from './customers/register-customer.handler';
import { UpdateCustomerProfileHandler } from './customers/update-customer-profile.handler';
import { EraseCustomerHandler } from './erasure/erase-customer.handler';
import { ErasureController } from './erasure/erasure.controller';
import { BreakPromiseHandler } from './promises/break-promise.handler';
import { CancelPromiseHandler } from './promises/cancel-promise.handler';
import { KeepPromiseHandler } from './promises/keep-promise.handler';
import { MakePromiseHandler } from './promises/make-promise.handler';
import { PromisesController } from './promises/promises.controller';
import { RenegotiatePromiseHandler } from './promises/renegotiate-promise.handler';
import { PurchasesController } from './purchases/purchases.controller';
import { RecordPurchaseHandler } from './purchases/record-purchase.handler';
import { RefundPurchaseHandler } from './purchases/refund-purchase.handler';
import { RecordSurveyResponseHandler } from './surveys/record-survey-response.handler';
import { SurveysController } from './surveys/surveys.controller';

/** The command API: one controller per touchpoint, one handler per command. */
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
  providers: [
    RegisterCustomerHandler,
    UpdateCustomerProfileHandler,
    LogCallHandler,
    RecordPurchaseHandler,
    RefundPurchaseHandler,
    MakePromiseHandler,
    KeepPromiseHandler,
    RenegotiatePromiseHandler,
    BreakPromiseHandler,
    CancelPromiseHandler,
    FileComplaintHandler,
    AcknowledgeComplaintHandler,
    EscalateComplaintHandler,
    ResolveComplaintHandler,
    ReopenComplaintHandler,
    AwaitComplaintCustomerHandler,
    RecordComplaintCustomerResponseHandler,
    RecordSurveyResponseHandler,
    EraseCustomerHandler,
  ],
})
export class TouchpointsModule {}
