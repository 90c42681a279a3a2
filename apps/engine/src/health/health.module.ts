import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ReadModelsModule } from '../read-models/read-models.module';
import { HealthController } from './health.controller';
import { PingController } from './ping.controller';
import { ProjectionsHealthIndicator } from './projections.health-indicator';
import { StoresHealthIndicator } from './stores.health-indicator';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ReadModelsModule],
  controllers: [HealthController, PingController],
  providers: [StoresHealthIndicator, ProjectionsHealthIndicator],
})
export class HealthModule {}
