import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ReadSideModule } from '@rapport/application';
import { HealthController } from './health.controller';
import { PingController } from './ping.controller';
import { ProjectionsHealthIndicator } from './projections.health-indicator';
import { StoresHealthIndicator } from './stores.health-indicator';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ReadSideModule],
  controllers: [HealthController, PingController],
  providers: [StoresHealthIndicator, ProjectionsHealthIndicator],
})
export class HealthModule {}
