import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { PingController } from './ping.controller';
import { StoresHealthIndicator } from './stores.health-indicator';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, PingController],
  providers: [StoresHealthIndicator],
})
export class HealthModule {}
