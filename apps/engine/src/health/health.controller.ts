import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../auth/roles.decorator';
import { StoresHealthIndicator } from './stores.health-indicator';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(StoresHealthIndicator) private readonly stores: StoresHealthIndicator,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and store reachability (503 when a store is down)' })
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.stores.eventStoreUp(), () => this.stores.readStoreUp()]);
  }
}
