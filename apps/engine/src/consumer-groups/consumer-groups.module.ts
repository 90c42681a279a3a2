import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConsumerGroupsController } from './consumer-groups.controller';
import { ConsumerGroupsService } from './consumer-groups.service';

/** Downstream services that pull: consumer groups with server-side checkpoints and partitions. */
@Module({
  imports: [AuditModule],
  controllers: [ConsumerGroupsController],
  providers: [ConsumerGroupsService],
})
export class ConsumerGroupsModule {}
