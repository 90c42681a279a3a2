import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { ParkedEvent, ReplayResult } from '@rapport/projection-engine';
import { ScoringRunRefused } from '@rapport/scoring/scoring-run-refused';
import {
  type WorkerView,
  ProjectionsService,
  type ProjectionStatusView,
  ScoringService,
  type ScoringRunReport,
} from '@rapport/application';
import type { AuthenticatedKey } from '../auth/authenticated-key';
import { Caller } from '../auth/caller.decorator';
import { Roles } from '../auth/roles.decorator';
import { RequestValidationError } from '../http/request-validation.error';
import { ProjectionParams, RebuildQueryDto, ReplayParkedDto, ScoringRunQueryDto } from './read-model-queries.dto';

@ApiTags('projections')
@ApiSecurity('api-key')
@Controller('projections')
export class ProjectionsController {
  constructor(
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
    @Inject(ScoringService) private readonly scoring: ScoringService,
  ) {}

  @Get()
  @Roles('admin', 'analyst')
  @ApiOperation({
    summary:
      'Per projection: version, checkpoint, events and seconds behind, parked events, state, and its owner (the projector worker holding its lease, the fencing token, the lease expiry), or with PROJECTION_PARTITIONS its partitions by customer hash, each with its owner and checkpoint; the live workers and the jobs leader',
  })
  async status(): Promise<{
    projections: ProjectionStatusView[];
    thisWorker: string | null;
    leader: string | null;
    workers: WorkerView[];
  }> {
    const cluster = await this.projections.cluster();
    const { thisWorker, leader, workers } = cluster;
    return { projections: await this.projections.status(cluster), thisWorker, leader, workers };
  }

  @Post('scoring/run')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Run scoring (CLV fit, RFM, tiers, stages, deadlines) at the engine clock, or point in time `asOf` a past time and `knownAt` a recording time',
    description:
      'Every run is kept as a record (`GET /analytics/scoring/runs`); the current answers come from the run with the latest as-of time.',
  })
  async runScoring(
    @Query() { asOf, knownAt }: ScoringRunQueryDto,
    @Caller() caller: AuthenticatedKey,
  ): Promise<ScoringRunReport> {
    try {
      return await this.scoring.run({
        ...(asOf === undefined ? {} : { asOf: new Date(asOf) }),
        ...(knownAt === undefined ? {} : { knownAt: new Date(knownAt) }),
        ranBy: { id: caller.id, role: caller.role },
      });
    } catch (error) {
      throw error instanceof ScoringRunRefused
        ? new RequestValidationError([{ field: error.field, rule: 'scoring_time', message: error.message }])
        : error;
    }
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Rebuild a read model beside the live one; switched in once caught up (`wait=true` answers after the switch)',
  })
  async rebuild(
    @Param() { name }: ProjectionParams,
    @Query() { wait }: RebuildQueryDto,
  ): Promise<{ projection: ProjectionStatusView | undefined }> {
    await this.projections.rebuild(name, wait ?? false);
    return { projection: (await this.projections.status()).find((s) => s.name === name) };
  }

  @Get(':name/parked')
  @Roles('admin')
  @ApiOperation({ summary: 'Parked (poison) events of the live read model, oldest first' })
  async parked(@Param() { name }: ProjectionParams): Promise<{ projection: string; parked: ParkedEvent[] }> {
    return { projection: name, parked: await this.projections.parked(name) };
  }

  @Post(':name/parked/replay')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Re-apply parked events after a fix (all, or the ids given); those still failing stay parked',
  })
  replay(@Param() { name }: ProjectionParams, @Body() body: ReplayParkedDto): Promise<ReplayResult> {
    return this.projections.replayParked(name, body.ids);
  }
}
