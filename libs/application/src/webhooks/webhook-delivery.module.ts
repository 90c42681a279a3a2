import { Module } from '@nestjs/common';
import { AsOfReplayModule } from '../as-of/as-of-replay.module';
import { ReadSideModule } from '../projections/read-side.module';
import { WebhooksService } from './webhooks.service';

/**
 * Downstream delivery by push: webhook subscriptions, their dispatchers under a fenced lease, signing,
 * retries, the delivery log, parking and replay. Needs the persistence module (global); the engine's
 * webhooks module puts routes over it.
 */
@Module({
  imports: [ReadSideModule, AsOfReplayModule],
  providers: [WebhooksService],
  exports: [WebhooksService],
})
export class WebhookDeliveryModule {}
