import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { CUSTOMER_EVENT_TYPES } from '@rapport/domain';
import { EVENT_CATEGORY_NAMES, type CreateConsumerGroup } from '@rapport/application';

export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export class GroupParams {
  @Matches(NAME_PATTERN, {
    message: 'name must be 1-64 of a-z, 0-9, dot, dash, underscore, starting with a letter or digit',
  })
  name!: string;
}

export class MemberParams extends GroupParams {
  @Matches(NAME_PATTERN, {
    message: 'memberId must be 1-64 of a-z, 0-9, dot, dash, underscore, starting with a letter or digit',
  })
  memberId!: string;
}

/** `PUT /consumer-groups/{name}`: created once; the filter and partitions of a group never change. */
export class CreateGroupDto implements CreateConsumerGroup {
  @ApiPropertyOptional({ example: ['PurchaseRecorded'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CUSTOMER_EVENT_TYPES.length)
  @IsIn(CUSTOMER_EVENT_TYPES, {
    each: true,
    message: `eventTypes must each be one of: ${CUSTOMER_EVENT_TYPES.join(', ')}`,
  })
  eventTypes?: string[];

  @ApiPropertyOptional({ example: ['alerts'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsIn(EVENT_CATEGORY_NAMES(), {
    each: true,
    message: `categories must each be one of: ${EVENT_CATEGORY_NAMES().join(', ')}`,
  })
  categories?: string[];

  @ApiPropertyOptional({ description: 'Partitions (1-256): the most members that can work at once', default: 16 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  partitions?: number;

  @ApiPropertyOptional({ description: '`beginning` (default), `now`, or a global position to start after' })
  @IsOptional()
  @Matches(/^(now|beginning|\d{1,15})$/, { message: 'startFrom must be now, beginning or a global position' })
  startFrom?: string;
}

/** `POST .../members/{memberId}/fetch`. */
export class FetchDto {
  @ApiPropertyOptional({ description: 'Events at most (1-1000)', default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  max?: number;

  @ApiPropertyOptional({
    description: 'Milliseconds to wait for events when there are none (0-30000, long poll)',
    default: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30_000)
  waitMs?: number;
}

/** `POST .../members/{memberId}/ack`. */
export class AckDto {
  @ApiProperty({ description: 'ackToken of each handled event' })
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tokens!: string[];
}
