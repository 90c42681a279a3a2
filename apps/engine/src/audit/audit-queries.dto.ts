import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';

export const MAX_HISTORY_PAGE = 1000;

/** `GET /audit/customers/{id}/history`: a page of events by revision. */
export class HistoryQueryDto {
  @ApiPropertyOptional({ description: 'First revision to return (the `nextCursor` of the previous page)', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  cursor?: number;

  @ApiPropertyOptional({ description: `Events per page (1-${MAX_HISTORY_PAGE})`, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_PAGE)
  limit?: number;
}

/** `GET /audit/customers/{id}/state`: business time and recording time, both optional. */
export class AsOfQueryDto {
  @ApiPropertyOptional({
    description: 'Business time (ISO-8601): only events that occurred by then',
    example: '2026-03-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;

  @ApiPropertyOptional({
    description: 'Recording time (ISO-8601): only events recorded by then',
    example: '2026-03-05T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  knownAt?: string;
}
