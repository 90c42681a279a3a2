import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  FOLLOW_UP_LIMITS,
  FOLLOW_UP_OUTCOMES,
  FOLLOW_UP_PRIORITIES,
  FOLLOW_UP_RULES,
  TEXT_LIMITS,
  type FollowUpAssignee,
  type FollowUpOutcome,
  type FollowUpPriority,
  type FollowUpReason,
  type FollowUpRule,
} from '@rapport/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CustomerParams } from '../touchpoints/shared/customer.params';
import { ID_MESSAGE, ID_PATTERN } from '../touchpoints/shared/id-pattern';
import type { CommandBody, Exactly } from '../touchpoints/shared/command-body';
import { TouchpointDto } from '../touchpoints/shared/touchpoint.dto';
import { Defaulted, Id, IsTime, MayBeAbsent, OptionalText, Text } from '../touchpoints/shared/value-rules';

export class FollowUpParams extends CustomerParams {
  @ApiProperty({ example: 'fu-3f9a0c' })
  @Id()
  followUpId: string;
}

export class AssigneeDto implements Exactly<FollowUpAssignee, AssigneeDto> {
  @ApiPropertyOptional({ example: 'agent-7' })
  @MayBeAbsent()
  @Id()
  agentId?: string;

  @ApiPropertyOptional({ example: 'key-accounts' })
  @MayBeAbsent()
  @Id()
  team?: string;
}

type ReasonBody = Omit<FollowUpReason, 'eventIds'> & Partial<Pick<FollowUpReason, 'eventIds'>>;

export class ReasonItemDto implements Exactly<ReasonBody, ReasonItemDto> {
  @ApiProperty({ example: 'manual' })
  @Id()
  code: string;

  @ApiProperty({ example: 'asked to be called after the holidays' })
  @Text(FOLLOW_UP_LIMITS.reasonDetail)
  detail: string;

  @ApiPropertyOptional({ type: [String], default: [], example: ['0f8e2c1a-5d3b-5c7e-9a1f-2b4d6e8f0a1c'] })
  @Defaulted()
  @IsArray()
  @ArrayMaxSize(FOLLOW_UP_LIMITS.eventIds)
  @Matches(ID_PATTERN, { each: true, message: ID_MESSAGE })
  eventIds?: string[];
}

// The worklist engine's trigger key is its own: a request never names one.
type ScheduleBody = Omit<CommandBody<'ScheduleFollowUp', 'customerId' | 'trigger', 'rule' | 'priority'>, 'reasons'> & {
  reasons: ReasonBody[];
};

export class ScheduleFollowUpDto extends TouchpointDto implements Exactly<ScheduleBody, ScheduleFollowUpDto> {
  @ApiProperty({ example: 'fu-manual-1' })
  @Id()
  followUpId: string;

  @ApiPropertyOptional({ enum: FOLLOW_UP_RULES, default: 'manual', example: 'manual' })
  @Defaulted()
  @IsIn(FOLLOW_UP_RULES)
  rule?: FollowUpRule;

  @ApiProperty({
    type: [ReasonItemDto],
    example: [{ code: 'manual', detail: 'asked to be called after the holidays', eventIds: [] }],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(FOLLOW_UP_LIMITS.reasons)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ReasonItemDto)
  reasons: ReasonItemDto[];

  @ApiProperty({ example: '2026-12-10T09:00:00Z' })
  @IsTime()
  dueAt: string;

  @ApiProperty({ type: AssigneeDto, description: 'an agentId, a team or both' })
  @IsObject()
  @ValidateNested()
  @Type(() => AssigneeDto)
  assignee: AssigneeDto;

  @ApiPropertyOptional({ enum: FOLLOW_UP_PRIORITIES, default: 'p3', example: 'p2' })
  @Defaulted()
  @IsIn(FOLLOW_UP_PRIORITIES)
  priority?: FollowUpPriority;
}

export class CompleteFollowUpDto
  extends TouchpointDto
  implements Exactly<CommandBody<'CompleteFollowUp', 'customerId' | 'followUpId' | 'completedBy'>, CompleteFollowUpDto>
{
  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES, example: 'contacted' })
  @IsIn(FOLLOW_UP_OUTCOMES)
  outcome: FollowUpOutcome;

  @ApiProperty({
    description: 'The event id of the touchpoint that did it (e.g. the logged call)',
    example: '0f8e2c1a-5d3b-5c7e-9a1f-2b4d6e8f0a1c',
  })
  @Id()
  touchpointEventId: string;

  @ApiPropertyOptional({ description: 'Personal data', example: 'will order again next month' })
  @OptionalText(TEXT_LIMITS.text)
  note?: string;
}

export class DismissFollowUpDto
  extends TouchpointDto
  implements Exactly<CommandBody<'DismissFollowUp', 'customerId' | 'followUpId' | 'dismissedBy'>, DismissFollowUpDto>
{
  @ApiProperty({ description: 'Personal data', example: 'customer moved abroad' })
  @Text(TEXT_LIMITS.text)
  reason: string;
}

export class ReassignFollowUpDto
  extends TouchpointDto
  implements Exactly<CommandBody<'ReassignFollowUp', 'customerId' | 'followUpId' | 'reassignedBy'>, ReassignFollowUpDto>
{
  @ApiProperty({ type: AssigneeDto, description: 'an agentId, a team or both' })
  @IsObject()
  @ValidateNested()
  @Type(() => AssigneeDto)
  to: AssigneeDto;

  @ApiPropertyOptional({ description: 'Personal data', example: 'invoice questions go to billing' })
  @OptionalText(TEXT_LIMITS.text)
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
