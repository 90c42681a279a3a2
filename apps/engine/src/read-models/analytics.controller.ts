import { Readable } from 'node:stream';
import { Controller, Get, Headers, Inject, NotFoundException, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { READ_STORE, type Page, type ReadStore } from '@rapport/read-store';
import {
  customersCsv,
  findCustomers,
  getPromisesByAgent,
  getSegments,
  getSentimentOverview,
  parseCustomerQuery,
  type AnalystCustomerParams,
  type SentimentOverview,
} from '@rapport/analytics';
import { AnalystQueryError } from '@rapport/projection-engine';
import type { ComplaintSlaReport } from '@rapport/projections/complaint-sla/complaint-sla.query';
import type { ComplaintSlaPolicy } from '@rapport/projections/complaint-sla/complaint-sla-policy';
import type { AnalyticsCustomerDoc } from '@rapport/scoring/analytics-customer';
import type { SegmentSummary } from '@rapport/scoring/score';
import type { AgentRatesRecord } from '@rapport/analytics/segments.query';
import { RUN_ID_PATTERN } from '@rapport/scoring/scoring-run';
import { runCollections, type RunSelector } from '@rapport/scoring/scoring-runs.query';
import { READ_MODELS } from '@rapport/projections/read-models';
import type { WeeklySentiment } from '@rapport/projections/sentiment-timeline/sentiment-timeline.query';
import { Roles } from '../auth/roles.decorator';
import type { ApiRole } from '../auth/roles';
import { COMPLAINT_SLA_POLICY, CLOCK, type Clock, ProjectionsService, ScoringService } from '@rapport/application';
import { RequestValidationError } from '../http/request-validation.error';
import { COMPLAINT_SLA_REPORT_EXAMPLE } from './complaint-sla.examples';
import { ComplaintSlaQueryDto, RunSelectorQueryDto, SentimentOverviewQueryDto } from './read-model-queries.dto';
import type { ClvModelRecord } from '@rapport/scoring/clv-model';
import { runClvBacktest, type ClvBacktestQuery, type ClvBacktestReport } from '@rapport/scoring/clv-backtest';

/** Who runs analyst queries. The analytics documents hold no personal data at all. */
export const ANALYSTS: ApiRole[] = ['analyst', 'admin'];

const badQuery = (error: unknown): unknown =>
  error instanceof AnalystQueryError
    ? new RequestValidationError([{ field: error.field, rule: 'analyst_query', message: error.message }])
    : error;

const notScoredYet = (what: string): NotFoundException =>
  new NotFoundException(`no ${what} yet: the scoring job has not run (POST /projections/scoring/run)`);

const noSuchRun = (selector: RunSelector): NotFoundException =>
  selector.run !== undefined
    ? new NotFoundException(`no scoring run ${selector.run}`)
    : selector.asOf !== undefined
      ? new NotFoundException(`no scoring run as of ${selector.asOf} or before, with its customers kept`)
      : notScoredYet('scores');

/** The `run` and `asOf` parameters of an analyst query, validated; the rest is the query itself. */
function splitRunSelector(params: AnalystCustomerParams): { selector: RunSelector; rest: AnalystCustomerParams } {
  const { run, asOf, ...rest } = params;
  if (run !== undefined && (typeof run !== 'string' || !RUN_ID_PATTERN.test(run)))
    throw new AnalystQueryError('run', 'must be a scoring run id such as run-000042');
  if (asOf !== undefined && (typeof asOf !== 'string' || Number.isNaN(Date.parse(asOf))))
    throw new AnalystQueryError('asOf', 'must be an ISO-8601 time');
  return {
    selector: {
      ...(run !== undefined ? { run: run as string } : {}),
      ...(asOf !== undefined ? { asOf: asOf as string } : {}),
    },
    rest,
  };
}

@ApiTags('analytics')
@ApiSecurity('api-key')
@Controller('analytics')
@Roles(...ANALYSTS)
export class AnalyticsController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
    @Inject(ScoringService) private readonly scoring: ScoringService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMPLAINT_SLA_POLICY) private readonly complaintSlaPolicy: ComplaintSlaPolicy,
  ) {}

  @Get('customers')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'Scored customers: filter (stage, tier, segment, region, <field>Min/Max, sentimentDrop), sort (`-netRevenue`), cursor paging',
    description: 'With `Accept: text/csv` the same query is exported as CSV, every page from the cursor on.',
  })
  async customers(
    @Query() query: AnalystCustomerParams,
    @Headers('accept') accept: string | undefined,
  ): Promise<Page<AnalyticsCustomerDoc> | StreamableFile> {
    let params: AnalystCustomerParams;
    let selector: RunSelector;
    try {
      ({ selector, rest: params } = splitRunSelector(query));
      parseCustomerQuery(params); // validated before anything is streamed
    } catch (error) {
      throw badQuery(error);
    }
    const collections = await this.runCollections(selector);
    try {
      if (accept?.includes('text/csv')) {
        return new StreamableFile(Readable.from(customersCsv(this.readStore, params, collections)), {
          type: 'text/csv; charset=utf-8',
          disposition: 'attachment; filename="customers.csv"',
        });
      }
      return await findCustomers(this.readStore, params, collections);
    } catch (error) {
      throw badQuery(error);
    }
  }

  @Get('segments')
  @ApiOperation({
    summary:
      'Customers and net revenue by lifecycle stage × value tier, and by region (current scoring run, or `run` / `asOf`)',
  })
  async segments(@Query() selector: RunSelectorQueryDto): Promise<SegmentSummary> {
    return (await getSegments(this.readStore, { ...selector })) ?? Promise.reject(noSuchRun(selector));
  }

  @Get('promises')
  @ApiOperation({
    summary: 'Promise fulfilment per agent: made, kept on time, kept late, broken, currently overdue, rates',
  })
  async promises(@Query() selector: RunSelectorQueryDto): Promise<AgentRatesRecord> {
    return (await getPromisesByAgent(this.readStore, { ...selector })) ?? Promise.reject(noSuchRun(selector));
  }

  @Get('sentiment')
  @ApiOperation({ summary: 'Population sentiment per week and the customers whose rolling sentiment dropped' })
  async sentiment(@Query() query: SentimentOverviewQueryDto): Promise<SentimentOverview<WeeklySentiment[]>> {
    const collections = await this.projections.liveCollections();
    const timeline = { store: this.readStore, collection: collections.sentimentTimeline };
    try {
      return await getSentimentOverview(this.readStore, {
        populationTrend: () => READ_MODELS.sentimentTimeline.query.weeklySentiment(timeline, {}),
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
        collections,
      });
    } catch (error) {
      throw badQuery(error);
    }
  }

  @Get('complaints/sla')
  @ApiOperation({
    summary:
      'Complaint SLAs now: open complaints with their acknowledgement and resolution deadlines, the overdue ones, the breached ones',
    description:
      'Deadlines come from the configured policy (COMPLAINT_ACKNOWLEDGE_HOURS, COMPLAINT_RESOLVE_HOURS) at the engine clock; ' +
      'breaches are the ComplaintSlaBreached events the deadline watcher recorded. `summary` covers every complaint matching `severity`; `items` is one page of `list`.',
  })
  @ApiOkResponse({
    description: 'summary and one page of the list',
    schema: { type: 'object', example: COMPLAINT_SLA_REPORT_EXAMPLE },
  })
  async complaintSla(@Query() query: ComplaintSlaQueryDto): Promise<ComplaintSlaReport> {
    const collection = await this.projections.liveCollection(READ_MODELS.complaintSla.name);
    try {
      return await READ_MODELS.complaintSla.query.findComplaintSla(
        { store: this.readStore, collection },
        { params: { ...query }, now: this.clock.now().toISOString(), policy: this.complaintSlaPolicy },
      );
    } catch (error) {
      throw badQuery(error);
    }
  }

  @Get('models/clv')
  @ApiOperation({
    summary:
      'The BG/NBD + Gamma-Gamma fit of the current scoring run (or `run` / `asOf`): parameters, fit date, log-likelihood, population, errors',
  })
  async clvModel(@Query() selector: RunSelectorQueryDto): Promise<ClvModelRecord> {
    return (await this.scoring.clvModel({ ...selector })) ?? Promise.reject(noSuchRun(selector));
  }

  @Get('models/clv/backtest')
  @ApiOperation({
    summary:
      'CLV back-test: BG/NBD fitted on the calibration period, holdout purchases predicted and compared, by calibration frequency',
    description:
      'Query: `calibrationEnd`, `holdoutEnd` (ISO-8601; a bare date includes that day; defaults: 39 weeks from the earliest first purchase, then 39 weeks), ' +
      "`knownAt` (only what was recorded by then), `perCustomer=true` (every customer's row). Errors: MAE, RMSE, totals, correlation; " +
      'coverage of the 90% parameter and predictive intervals. 400 for bad or inverted dates or a holdout not yet over.',
  })
  async clvBacktest(@Query() query: ClvBacktestQuery): Promise<ClvBacktestReport> {
    const collection = await this.projections.liveCollection(READ_MODELS.customerValue.name);
    return runClvBacktest(this.readStore, collection, query, this.clock.now());
  }

  /** The live projection collections, with the scored customers of the run asked for; 404 without one. */
  private async runCollections(selector: RunSelector) {
    const run = await this.scoring.selectRun(selector);
    if (run === null || run.customers === null) throw noSuchRun(selector);
    return { ...(await this.projections.liveCollections()), ...runCollections(run) };
  }
}
