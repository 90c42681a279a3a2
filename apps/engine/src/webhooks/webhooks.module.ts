import { Module } from '@nestjs/common';
import { WebhookDeliveryModule } from '@rapport/application';
import { AuditModule } from '../audit/audit.module';
import { WebhooksController } from './webhooks.controller';

/** The webhooks API: routes over the application's webhook delivery (libs/application/src/webhooks). */
@Module({
  imports: [AuditModule, WebhookDeliveryModule],
  controllers: [WebhooksController],
  exports: [WebhookDeliveryModule],
})
export class WebhooksModule {}
