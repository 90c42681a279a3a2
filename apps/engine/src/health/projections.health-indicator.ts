import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ProjectionsService } from '../read-models/projections.service';
import { projectionsHealth } from './projections-health';

/**
 * The projection runner: always `up` while its status can be read (a stopped projection or parked
 * events degrade reads, they do not make the engine unavailable), with `degraded` and the details.
 */
@Injectable()
export class ProjectionsHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
  ) {}

  async projectionsUp(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('projections');
    try {
      return indicator.up({ ...projectionsHealth(await this.projections.status()) });
    } catch (error) {
      return indicator.down({ message: `projection status unreadable: ${(error as Error).message}` });
    }
  }
}
