import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { customerHealthAt, type CustomerHealth } from '@rapport/projections/customer-health/customer-health-at';
import type { CustomerHealthDoc } from '@rapport/projections/customer-health/customer-health.projection';
import type { HealthConfig } from '@rapport/projections/customer-health/health-config';
import { followUpEffect, type RuleEffect } from '@rapport/projections/worklist/follow-up-effect';
import type { FollowUpDoc } from '@rapport/projections/worklist/worklist.projection';
import { worklistOf, type WorklistPage } from '@rapport/projections/worklist/worklist.query';
import type { SentimentTimelineDoc } from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';
import type { CustomerProfile } from '@rapport/projections/customer-profile/customer-profile.projection';
import { Roles } from '../auth/roles.decorator';
import { RequestValidationError } from '../http/request-validation.error';
import {
  CLOCK,
  type Clock,
  CustomerWorkReader,
  HEALTH_CONFIG,
  healthInputsOf,
  ProjectionsService,
  WorklistService,
  type WorklistPassReport,
} from '@rapport/application';
import { READ_MODELS } from '@rapport/projections/read-models';
import { CustomerParams } from '../touchpoints/shared/customer.params';
import {
  EffectQueryDto,
  HealthAsOfQueryDto,
  HealthScoresQueryDto,
  WorklistPassDto,
  WorklistQueryDto,
} from './follow-ups.dto';
import { HEALTH_SCORES_COLLECTION, type HealthScoreDoc } from '@rapport/projections/customer-health/health-scores';

const WORKLIST_READERS = ['agent', 'analyst', 'admin'] as const;

/** The front line's worklist, customer health with its reasons, and the effect of following up. */
@ApiTags('worklist')
@ApiSecurity('api-key')
@Controller()
export class WorklistController {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
    @Inject(CustomerWorkReader) private readonly reader: CustomerWorkReader,
    @Inject(WorklistService) private readonly worklist: WorklistService,
    @Inject(HEALTH_CONFIG) private readonly config: HealthConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('worklist')
  @Roles(...WORKLIST_READERS)
  @ApiOperation({
    summary:
      "An agent's or a team's follow-ups (open by default): most urgent priority first, then due date; each with its urgency and reasons",
  })
  async list(@Query() query: WorklistQueryDto): Promise<WorklistPage> {
    if (query.agent === undefined && query.team === undefined) {
      throw new RequestValidationError([
        { field: 'agent', rule: 'agent_or_team', message: 'give agent, team or both' },
      ]);
    }
    const { 'min-position': minPosition, ...rest } = query;
    if (minPosition !== undefined) await this.projections.waitFor(READ_MODELS.worklist.name, minPosition);
    const collection = await this.projections.liveCollection(READ_MODELS.worklist.name);
    const page = await worklistOf({ store: this.store, collection }, { ...rest, now: this.clock.now().toISOString() });
    // An erased customer's follow-ups can no longer be worked (nothing is recorded for it): left out.
    const profiles = await this.store.getMany<CustomerProfile>(
      await this.projections.liveCollection(READ_MODELS.customerProfile.name),
      [...new Set(page.items.map((i) => i.customerId))],
    );
    return { ...page, items: page.items.filter((i) => profiles.get(i.customerId)?.erased !== true) };
  }

  @Get('worklist/effect')
  @Roles('analyst', 'admin')
  @ApiOperation({
    summary:
      'Per rule: health of customers followed up against those of the same trigger not followed up, before and after',
  })
  async effect(@Query() query: EffectQueryDto): Promise<{ horizonDays: number; rules: RuleEffect[] }> {
    const horizonDays = query.horizonDays ?? 30;
    const [worklist, health, sentiment] = await Promise.all([
      this.projections.liveCollection(READ_MODELS.worklist.name),
      this.projections.liveCollection(READ_MODELS.customerHealth.name),
      this.projections.liveCollection(READ_MODELS.sentimentTimeline.name),
    ]);
    const followUps: FollowUpDoc[] = [];
    for await (const doc of this.store.scan<FollowUpDoc>(worklist, 1000)) followUps.push(doc);
    const ids = [...new Set(followUps.map((f) => f.customerId))];
    const [healthDocs, sentimentDocs] = await Promise.all([
      this.store.getMany<CustomerHealthDoc>(health, ids),
      this.store.getMany<SentimentTimelineDoc>(sentiment, ids),
    ]);
    const rules = followUpEffect(
      followUps,
      (id) => {
        const doc = healthDocs.get(id);
        return doc ? { health: doc, sentiment: sentimentDocs.get(id) ?? null } : null;
      },
      this.clock.now().getTime(),
      horizonDays,
      this.config,
    );
    return { horizonDays, rules };
  }

  @Post('worklist/passes')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Run a health and worklist pass now (or score health as of a past time, recording nothing)',
  })
  async pass(@Body() body: WorklistPassDto): Promise<WorklistPassReport> {
    const now = this.clock.now();
    if (body.asOf !== undefined && Date.parse(body.asOf) > now.getTime()) {
      throw new RequestValidationError([
        { field: 'asOf', rule: 'not_in_future', message: `asOf must not be after now (${now.toISOString()})` },
      ]);
    }
    return this.worklist.pass(body.asOf === undefined ? undefined : new Date(body.asOf));
  }

  @Get('customers/:id/health')
  @Roles('agent', 'analyst', 'auditor', 'admin')
  @ApiOperation({
    summary:
      "A customer's health (0-100, band) with every contribution and the events behind it, as of a time and as known at a time",
  })
  async health(
    @Param() { id }: CustomerParams,
    @Query() query: HealthAsOfQueryDto,
  ): Promise<CustomerHealth & { run: string | null }> {
    const now = this.clock.now();
    const asOf = this.notAfterNow('asOf', query.asOf, now);
    const knownAt = this.notAfterNow('knownAt', query.knownAt, now);
    const run = await this.reader.runAsOf(new Date(asOf).toISOString());
    const work = await this.reader.one(id, run);
    const health = work ? customerHealthAt(healthInputsOf(work, run), asOf, knownAt, this.config) : null;
    if (!health) throw new NotFoundException(`customer ${id} has no health as of ${new Date(asOf).toISOString()}`);
    return { ...health, run: run && work?.scored ? run.id : null };
  }

  @Get('health-scores')
  @Roles('agent', 'analyst', 'admin')
  @ApiOperation({ summary: 'The latest pass: customers by health, lowest first (optionally one band)' })
  async scores(@Query() query: HealthScoresQueryDto): Promise<{ items: HealthScoreDoc[]; nextCursor: string | null }> {
    const page = await this.store
      .find<HealthScoreDoc>(HEALTH_SCORES_COLLECTION, {
        ...(query.band ? { filter: { field: 'band', eq: query.band } } : {}),
        sort: [{ field: 'score', direction: 'asc' }],
        limit: query.limit ?? 50,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      })
      .catch(() => ({ items: [], nextCursor: null }));
    return page;
  }

  private notAfterNow(field: string, value: string | undefined, now: Date): number {
    if (value === undefined) return now.getTime();
    const ms = Date.parse(value);
    if (ms > now.getTime()) {
      throw new RequestValidationError([
        {
          field,
          rule: 'not_in_future',
          message: `${field} must not be after now (${now.toISOString()}): no look-ahead`,
        },
      ]);
    }
    return ms;
  }
}
