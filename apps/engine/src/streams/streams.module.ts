import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventStreamService } from './event-stream.service';
import { StreamsController } from './streams.controller';

/** Downstream services: server-sent event streams with resume, filters, heartbeat and backpressure. */
@Module({
  imports: [AuditModule],
  controllers: [StreamsController],
  providers: [EventStreamService],
})
export class StreamsModule {}
