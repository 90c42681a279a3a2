import { Module } from '@nestjs/common';
import { AsOfReplayModule } from '../as-of/as-of-replay.module';
import { ConsumerGroupsService } from './consumer-groups.service';

/**
 * Downstream delivery by pull: consumer groups with server-side checkpoints and partitions under a
 * lease. Needs the persistence module (global); the engine's consumer-groups module puts routes over it.
 */
@Module({
  imports: [AsOfReplayModule],
  providers: [ConsumerGroupsService],
  exports: [ConsumerGroupsService],
})
export class ConsumerGroupsApplicationModule {}
