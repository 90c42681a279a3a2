import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CALL_DIRECTIONS, CALL_OUTCOMES, TEXT_LIMITS } from '@rapport/domain';
import type { CallDirection, CallOutcome } from '@rapport/domain';
import { IsIn, IsOptional, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../shared/id-pattern';
import { MAX_TEXT, TouchpointDto } from '../shared/touchpoint.dto';
import { IsSafeInteger } from '../shared/is-safe-integer';

export class LogCallDto extends TouchpointDto {
  @ApiProperty({ example: 'call-20261120-001' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  callId: string;

  @ApiProperty({ enum: CALL_DIRECTIONS, example: 'inbound' })
  @IsIn(CALL_DIRECTIONS)
  direction: CallDirection;

  @ApiProperty({ example: 240, minimum: 0 })
  @IsSafeInteger()
  @Min(0)
  durationSeconds: number;

  @ApiPropertyOptional({ description: 'Defaults to the calling key', example: 'agent-7' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  agentId?: string;

  @ApiProperty({ example: 'delivery' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.term)
  topic: string;

  @ApiProperty({ enum: CALL_OUTCOMES, example: 'resolved' })
  @IsIn(CALL_OUTCOMES)
  outcome: CallOutcome;

  @ApiPropertyOptional({
    description: 'Personal data',
    example: 'Customer asked about the delivery date; confirmed Friday.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  notes?: string;
}
