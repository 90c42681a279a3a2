import { Module } from '@nestjs/common';
import { PersonalDataReader } from '../personal-data/personal-data-reader';
import { SealedDataRevealer } from '../personal-data/sealed-data-revealer';
import { AsOfStateService } from './as-of-state.service';

/**
 * The bitemporal as-of replay and what it reveals personal data with. Needs the persistence module's
 * EVENT_STORE and KEY_STORE (global); the engine's audit API and the CLI's `replay` both load it.
 */
@Module({
  providers: [PersonalDataReader, SealedDataRevealer, AsOfStateService],
  exports: [PersonalDataReader, SealedDataRevealer, AsOfStateService],
})
export class AsOfReplayModule {}
