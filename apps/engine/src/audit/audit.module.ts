import { Module } from '@nestjs/common';
import { SealedDataRevealer, PersonalDataReader } from '@rapport/application';
import { AsOfStateService } from './as-of-state.service';
import { AuditExportController } from './audit-export.controller';
import { AuditVerifyController } from './audit-verify.controller';
import { AuditController } from './audit.controller';
import { exportSigningKeyProvider } from './export-signing-key.provider';
import { VerificationJobsService } from './verification-jobs.service';

/** The auditors' API: history, bitemporal as-of state, hash-chain verification, signed exports. */
@Module({
  controllers: [AuditController, AuditVerifyController, AuditExportController],
  providers: [
    PersonalDataReader,
    SealedDataRevealer,
    AsOfStateService,
    VerificationJobsService,
    exportSigningKeyProvider,
  ],
  exports: [PersonalDataReader],
})
export class AuditModule {}
