import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  FOLLOW_UP_OUTCOMES,
  FOLLOW_UP_PRIORITIES,
  FOLLOW_UP_RULES,
  type FollowUpOutcome,
  type FollowUpPriority,
  type FollowUpRule,
} from '@rapport/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CustomerParams } from '../touchpoints/shared/customer.params';
import { ID_MESSAGE, ID_PATTERN } from '../touchpoints/shared/id-pattern';
import { MAX_TEXT, TouchpointDto } from '../touchpoints/shared/touchpoint.dto';

export class FollowUpParams extends CustomerParams {
  @ApiProperty({ example: 'fu-3f9a0c' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  followUpId: string;
}

export class AssigneeDto {
  @ApiPropertyOptional({ example: 'agent-7' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  agentId?: string;

  @ApiPropertyOptional({ example: 'key-accounts' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  team?: string;
}

export class ReasonItemDto {
  @ApiProperty({ example: 'manual' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  code: string;

  @ApiProperty({ example: 'asked to be called after the holidays' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  detail: string;

  @ApiPropertyOptional({ type: [String], default: [], example: ['0f8e2c1a-5d3b-5c7e-9a1f-2b4d6e8f0a1c'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(ID_PATTERN, { each: true, message: ID_MESSAGE })
  eventIds?: string[];
}

export class ScheduleFollowUpDto extends TouchpointDto {
  @ApiProperty({ example: 'fu-manual-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  followUpId: string;

  @ApiPropertyOptional({ enum: FOLLOW_UP_RULES, default: 'manual', example: 'manual' })
  @IsOptional()
  @IsIn(FOLLOW_UP_RULES)
  rule?: FollowUpRule;

  @ApiProperty({
    type: [ReasonItemDto],
    example: [{ code: 'manual', detail: 'asked to be called after the holidays', eventIds: [] }],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ReasonItemDto)
  reasons: ReasonItemDto[];

  @ApiProperty({ example: '2026-12-10T09:00:00Z' })
  @IsISO8601({ strict: true })
  dueAt: string;

  @ApiProperty({ type: AssigneeDto })
  @ValidateNested()
  @Type(() => AssigneeDto)
  assignee: AssigneeDto;

  @ApiPropertyOptional({ enum: FOLLOW_UP_PRIORITIES, default: 'p3', example: 'p2' })
  @IsOptional()
  @IsIn(FOLLOW_UP_PRIORITIES)
  priority?: FollowUpPriority;
}

export class CompleteFollowUpDto extends TouchpointDto {
  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES, example: 'contacted' })
  @IsIn(FOLLOW_UP_OUTCOMES)
  outcome: FollowUpOutcome;

  @ApiProperty({
    description: 'The event id of the touchpoint that did it (e.g. the logged call)',
    example: '0f8e2c1a-5d3b-5c7e-9a1f-2b4d6e8f0a1c',
  })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  touchpointEventId: string;

  @ApiPropertyOptional({ description: 'Personal data', example: 'will order again next month' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  note?: string;
}

export class DismissFollowUpDto extends TouchpointDto {
  @ApiProperty({ description: 'Personal data', example: 'customer moved abroad' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  reason: string;
}

export class ReassignFollowUpDto extends TouchpointDto {
  @ApiProperty({ type: AssigneeDto })
  @ValidateNested()
  @Type(() => AssigneeDto)
  to: AssigneeDto;

  @ApiPropertyOptional({ description: 'Personal data', example: 'invoice questions go to billing' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  reason?: string;
}

export class WorklistQueryDto {
  @ApiPropertyOptional({
    name: 'min-position',
    description: 'Wait (up to 5 s) until the worklist has applied this event position (read your own completion)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  'min-position'?: number;

  @ApiPropertyOptional({ example: 'agent-7' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  agent?: string;

  @ApiPropertyOptional({ example: 'key-accounts' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  team?: string;

  @ApiPropertyOptional({ enum: ['open', 'completed', 'dismissed'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'completed', 'dismissed'])
  status?: 'open' | 'completed' | 'dismissed';

  @ApiPropertyOptional({ description: 'Only follow-ups due within this many days (overdue included)', example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  dueWithinDays?: number;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

export class HealthAsOfQueryDto {
  @ApiPropertyOptional({
    description: 'Health as of this business time (default: now)',
    example: '2026-06-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;

  @ApiPropertyOptional({ description: 'Using only what had been recorded by this time (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  knownAt?: string;
}

export class HealthScoresQueryDto {
  @ApiPropertyOptional({ enum: ['healthy', 'watch', 'at_risk'] })
  @IsOptional()
  @IsIn(['healthy', 'watch', 'at_risk'])
  band?: 'healthy' | 'watch' | 'at_risk';

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

export class EffectQueryDto {
  @ApiPropertyOptional({ description: 'Days after scheduling the "after" health is read at', default: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  horizonDays?: number;
}

export class WorklistPassDto {
  @ApiPropertyOptional({ description: 'Score health as of this time instead of now (records nothing)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}
