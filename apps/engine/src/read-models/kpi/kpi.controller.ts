import { Controller, Get, Inject, NotFoundException, Query } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AnalystQueryError } from '@rapport/projection-engine';
import {
  cohortReport,
  parseCohortQuery,
  type CohortReport,
} from '@rapport/analytics/cohort-retention/cohort-retention.query';
import { driversReport, parseDriversQuery, type DriversReport } from '@rapport/projections/service-kpi/kpi-drivers';
import {
  kpiReport,
  parseKpiQuery,
  type ExternalDimension,
  type KpiReport,
} from '@rapport/projections/service-kpi/kpi.query';
import { Roles } from '../../auth/roles.decorator';
import { RequestValidationError } from '../../http/request-validation.error';
import { CLOCK, type Clock, ScoringService } from '@rapport/application';
import { ANALYSTS } from '../analytics.controller';
import { KpiFactsService } from './kpi-facts.service';

const badQuery = (error: unknown): unknown =>
  error instanceof AnalystQueryError
    ? new RequestValidationError([{ field: error.field, rule: 'analyst_query', message: error.message }])
    : error;

/** Service KPIs, their drivers and cohort retention, as of any time, from the service-kpi read model. */
@ApiTags('analytics')
@ApiSecurity('api-key')
@Controller('analytics')
@Roles(...ANALYSTS)
export class KpiController {
  constructor(
    @Inject(KpiFactsService) private readonly facts: KpiFactsService,
    @Inject(ScoringService) private readonly scoring: ScoringService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('kpis')
  @ApiOperation({
    summary:
      'NPS, CSAT, CES, first-response and resolution hours, promise-kept, repeat-purchase and churn rates by week or month, optionally by a dimension, as of any time',
    description:
      'Query: `asOf`, `knownAt`, `period=week|month`, `by=region|city|channel|acquisitionChannel|tier|stage|agent`, `from`, `to`, `churnDays`. See docs/api.md and docs/read-models.md.',
  })
  async kpis(@Query() params: Record<string, unknown>): Promise<KpiReport> {
    const q = this.parse(() => parseKpiQuery(params, this.clock.now().getTime()));
    const source = await this.facts.source();
    const records = source.records(q.asOfMs, q.knownAtMs);
    let external: ExternalDimension | undefined;
    if (q.by === 'tier' || q.by === 'stage') {
      const asOf = new Date(q.asOfMs).toISOString();
      const run = await this.scoring.selectRun({ asOf });
      if (run === null || run.customers === null)
        throw new NotFoundException(
          `no scoring run as of ${asOf} or before, with its customers kept: tiers and stages come from one`,
        );
      external = { values: await this.facts.runDimension(source, run, q.by), run: run.id };
    }
    return this.parse(() => kpiReport(source.table, records, q, external));
  }

  @Get('kpis/drivers')
  @ApiOperation({
    summary:
      'NPS and CSAT after a broken promise, an SLA breach or a complaint in the previous `windowDays` (30), against answers without one',
  })
  async drivers(@Query() params: Record<string, unknown>): Promise<DriversReport> {
    const q = this.parse(() => parseDriversQuery(params, this.clock.now().getTime()));
    const source = await this.facts.source();
    return driversReport(source.records(q.asOfMs, q.knownAtMs), q);
  }

  @Get('cohorts')
  @ApiOperation({
    summary:
      'Cohort retention: first-purchase month × months since, customers active and net revenue retained, as of any time',
  })
  async cohorts(@Query() params: Record<string, unknown>): Promise<CohortReport> {
    const q = this.parse(() => parseCohortQuery(params, this.clock.now().getTime()));
    const source = await this.facts.source();
    return cohortReport(source.records(q.asOfMs, q.knownAtMs), q);
  }

  private parse<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw badQuery(error);
    }
  }
}
