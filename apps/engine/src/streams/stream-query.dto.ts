import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CUSTOMER_EVENT_TYPES } from '@rapport/domain';
import { EVENT_CATEGORY_NAMES } from '@rapport/application';

export const DEFAULT_HEARTBEAT_SECONDS = 15;

/** `GET /streams/...`: where to start, which event types, how often to send a heartbeat. */
export class StreamQueryDto {
  @ApiPropertyOptional({
    description: 'Global position to start after (exclusive); `Last-Event-ID` wins when both are sent',
    default: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  from?: number;

  @ApiPropertyOptional({
    description: 'Comma-separated event types to deliver (default: all)',
    example: 'PurchaseRecorded,PurchaseRefunded',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t.length > 0)
      : value,
  )
  @ArrayMaxSize(CUSTOMER_EVENT_TYPES.length)
  @IsIn(CUSTOMER_EVENT_TYPES, {
    each: true,
    message: `types must be a comma-separated list of: ${CUSTOMER_EVENT_TYPES.join(', ')}`,
  })
  types?: string[];

  @ApiPropertyOptional({
    description:
      'Comma-separated categories (with types: their union): a touchpoint such as purchase or complaint, or alerts',
    example: 'alerts',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t.length > 0)
      : value,
  )
  @ArrayMaxSize(20)
  @IsIn(EVENT_CATEGORY_NAMES(), {
    each: true,
    message: `categories must be a comma-separated list of: ${EVENT_CATEGORY_NAMES().join(', ')}`,
  })
  categories?: string[];

  @ApiPropertyOptional({
    description: 'Seconds between heartbeat comments (1-300)',
    default: DEFAULT_HEARTBEAT_SECONDS,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(300)
  heartbeat?: number;
}
