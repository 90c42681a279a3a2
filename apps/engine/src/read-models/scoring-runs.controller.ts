import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { compareRuns, type RunComparison } from '@rapport/scoring/compare-runs';
import type { ScoringRunRecord } from '@rapport/scoring/scoring-run';
import { getRun, listRuns, selectRun } from '@rapport/scoring/scoring-runs.query';
import { Roles } from '../auth/roles.decorator';
import { ANALYSTS } from './analytics.controller';
import { CompareRunsQueryDto, RunParams } from './read-model-queries.dto';

/** Scoring runs are records: analysts list them, read one, and compare two. */
@ApiTags('analytics')
@ApiSecurity('api-key')
@Controller('analytics/scoring/runs')
@Roles(...ANALYSTS)
export class ScoringRunsController {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  @Get()
  @ApiOperation({
    summary:
      'Every scoring run, newest first: as-of and known-at times, trigger, who ran it, status, population, CLV fit; and the id of the current one',
  })
  async list(): Promise<{ runs: ScoringRunRecord[]; current: string | null }> {
    const [runs, current] = await Promise.all([listRuns(this.readStore), selectRun(this.readStore)]);
    return { runs, current: current?.id ?? null };
  }

  @Get('compare')
  @ApiOperation({
    summary: 'Two runs side by side, and how the customers scored in both moved between stages and tiers',
  })
  async compare(@Query() { a, b }: CompareRunsQueryDto): Promise<RunComparison> {
    return compareRuns(this.readStore, await this.found(a), await this.found(b));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One scoring run' })
  async get(@Param() { id }: RunParams): Promise<ScoringRunRecord> {
    return this.found(id);
  }

  private async found(id: string): Promise<ScoringRunRecord> {
    const run = await getRun(this.readStore, id);
    if (run === null) throw new NotFoundException(`no scoring run ${id}`);
    return run;
  }
}
