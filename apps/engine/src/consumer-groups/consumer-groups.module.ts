import { Module } from '@nestjs/common';
import { ConsumerGroupsApplicationModule } from '@rapport/application';
import { AuditModule } from '../audit/audit.module';
import { ConsumerGroupsController } from './consumer-groups.controller';

/** The consumer-groups API: routes over the application's consumer groups (libs/application/src/consumer-groups). */
@Module({
  imports: [AuditModule, ConsumerGroupsApplicationModule],
  controllers: [ConsumerGroupsController],
})
export class ConsumerGroupsModule {}
