import { Module } from '@nestjs/common';
import { AsOfReplayModule } from '@rapport/application';
import { AuditExportController } from './audit-export.controller';
import { AuditVerifyController } from './audit-verify.controller';
import { AuditController } from './audit.controller';
import { exportSigningKeyProvider } from './export-signing-key.provider';
import { VerificationJobsService } from './verification-jobs.service';

/** The auditors' API: history, bitemporal as-of state, hash-chain verification, signed exports. */
@Module({
  imports: [AsOfReplayModule],
  controllers: [AuditController, AuditVerifyController, AuditExportController],
  providers: [VerificationJobsService, exportSigningKeyProvider],
  // PersonalDataReader (the feeds reveal with it) comes with the replay's module.
  exports: [AsOfReplayModule],
})
export class AuditModule {}
