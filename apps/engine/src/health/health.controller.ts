import { Controller, Get, HttpStatus, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/roles.decorator';
import { ProjectionsHealthIndicator } from './projections.health-indicator';
import { StoresHealthIndicator } from './stores.health-indicator';

export type EngineHealth = HealthCheckResult & { degraded: boolean };

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(StoresHealthIndicator) private readonly stores: StoresHealthIndicator,
    @Inject(ProjectionsHealthIndicator) private readonly projections: ProjectionsHealthIndicator,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({
    summary: 'Event, read and key store reachability (503 when one is down) and projection runner state',
    description:
      '`degraded: true` (still 200) when a projection is stopped, reports an error or has parked events; `info.projections` has the details.',
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<EngineHealth> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.stores.eventStoreUp(),
        () => this.stores.readStoreUp(),
        () => this.stores.keyStoreUp(),
        () => this.projections.projectionsUp(),
      ]);
    } catch (error) {
      // Down: the same body with 503, not a problem document, so monitors see which part failed.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { ...result, degraded: result.status !== 'ok' || result.info?.['projections']?.['degraded'] === true };
  }
}
