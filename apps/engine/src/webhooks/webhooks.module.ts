import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ReadSideModule } from '@rapport/application';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Downstream services: signed webhooks with retries, a delivery log, parking and replay. */
@Module({
  imports: [AuditModule, ReadSideModule],
  controllers: [WebhooksController],
  providers: [WebhooksService],
  exports: [WebhooksService],
})
export class WebhooksModule {}
