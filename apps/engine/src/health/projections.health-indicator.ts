import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ProjectionsService } from '@rapport/application';
import { projectionsHealth } from './projections-health';

/**
 * The projections: `up` while their status can be read and every one has an owner (a stopped
 * projection or parked events degrade reads, they do not make the engine unavailable), with
 * `degraded` and the details; `down`, naming them, when projections have had no projector worker
 * holding their lease for longer than PROJECTION_LEASE_SECONDS: nothing keeps them up to date.
 */
@Injectable()
export class ProjectionsHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
  ) {}

  async projectionsUp(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('projections');
    let health;
    try {
      const cluster = await this.projections.cluster();
      health = projectionsHealth(await this.projections.status(cluster), await this.projections.unowned());
    } catch (error) {
      return indicator.down({ message: `projection status unreadable: ${(error as Error).message}` });
    }
    if (health.ownerless.length === 0) return indicator.up({ ...health });
    return indicator.down({
      ...health,
      message: `no projector worker owns ${health.ownerless.join(', ')} (lease missing or expired for over PROJECTION_LEASE_SECONDS)`,
    });
  }
}
