import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EngineMetricsRecorder } from './engine-metrics.recorder';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** `/metrics`: HTTP, appended events, projection lag, scoring runs, SSE subscribers. */
@Module({
  imports: [CqrsModule],
  controllers: [MetricsController],
  providers: [MetricsService, EngineMetricsRecorder],
  exports: [MetricsService],
})
export class MetricsModule {}
