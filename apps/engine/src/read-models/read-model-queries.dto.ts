import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { RUN_ID_PATTERN } from '@rapport/scoring/scoring-run';
import { COMPLAINT_SLA_LISTS, type ComplaintSlaList } from '@rapport/projections/complaint-sla/complaint-sla.query';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ProjectionParams {
  @Matches(/^[a-z][a-z0-9-]{0,99}$/, {
    message: '$property must be a projection name (lowercase letters, digits and -)',
  })
  name: string;
}

/** Read-your-writes on the per-customer queries: `?min-position=N` (or the `Min-Position` header). */
export class CustomerReadQueryDto {
  @ApiPropertyOptional({
    name: 'min-position',
    description: 'Wait (up to 5 s) until the read model has applied this event position',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  'min-position'?: number;
}

export class ScoringRunQueryDto {
  @ApiPropertyOptional({
    description:
      'Score as of this business time instead of the engine clock (historical data sets), using only what had occurred by then; ' +
      'refused before the first event and in the future. Records no deadline events.',
    example: '1998-07-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;

  @ApiPropertyOptional({
    description: 'Use only what Rapport had recorded by this time (default: now); refused in the future',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  knownAt?: string;
}

/** Which scoring run an analytics query reads: by id, or the latest as of a date; the current run by default. */
export class RunSelectorQueryDto {
  @ApiPropertyOptional({ description: 'A scoring run id (`run-000042`)', example: 'run-000001' })
  @IsOptional()
  @Matches(RUN_ID_PATTERN, { message: 'run must be a scoring run id such as run-000042' })
  run?: string;

  @ApiPropertyOptional({
    description: 'The run with the latest as-of time at or before this date',
    example: '1998-07-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class RunParams {
  @Matches(RUN_ID_PATTERN, { message: 'id must be a scoring run id such as run-000042' })
  id: string;
}

export class CompareRunsQueryDto {
  @ApiProperty({ description: 'The earlier run', example: 'run-000001' })
  @Matches(RUN_ID_PATTERN, { message: 'a must be a scoring run id such as run-000042' })
  a!: string;

  @ApiProperty({ description: 'The later run', example: 'run-000002' })
  @Matches(RUN_ID_PATTERN, { message: 'b must be a scoring run id such as run-000042' })
  b!: string;
}

export class RebuildQueryDto {
  @ApiPropertyOptional({ description: 'Answer only after the rebuilt model is switched in', default: false })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  wait?: boolean;
}

export class ReplayParkedDto {
  @ApiPropertyOptional({ description: 'Parked event ids to replay (all when absent)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  ids?: string[];
}

/** `limit` and `cursor` of a paged list (1-500 a page). */
class PageQueryDto {
  @ApiPropertyOptional({ description: 'Items per page (1-500)', default: 50, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page (same other parameters)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  cursor?: string;
}

/** Customers with sentiment drops, a page at a time. */
export class SentimentOverviewQueryDto extends PageQueryDto {}

export class ComplaintSlaQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: COMPLAINT_SLA_LISTS,
    default: 'open',
    description:
      "open: every open complaint, soonest deadline first; overdue: the open ones past a deadline; breached: every complaint with a breach (recorded, or a step done late), latest first; warning: open ones inside a step's warn-before window",
    example: 'overdue',
  })
  @IsOptional()
  @IsIn(COMPLAINT_SLA_LISTS)
  list?: ComplaintSlaList;

  @ApiPropertyOptional({
    description: 'Severities, comma separated (low, medium, high, critical)',
    example: 'high,critical',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  severity?: string;

  @ApiPropertyOptional({
    description: 'Read the SLAs as of this ISO-8601 time (default: now)',
    example: '2026-03-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601()
  asOf?: string;

  @ApiPropertyOptional({
    description: 'Leave out breaches recorded after this ISO-8601 time',
    example: '2026-03-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601()
  knownAt?: string;
}
