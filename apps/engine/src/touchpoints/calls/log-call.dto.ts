import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CALL_DIRECTIONS, CALL_OUTCOMES, TEXT_LIMITS } from '@rapport/domain';
import type { CallDirection, CallOutcome } from '@rapport/domain';
import { IsIn, Min } from 'class-validator';
import type { CommandBody, Exactly } from '../shared/command-body';
import { IsSafeInteger } from '../shared/is-safe-integer';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { Defaulted, Id, OptionalText, Text } from '../shared/value-rules';

export class LogCallDto
  extends TouchpointDto
  implements Exactly<CommandBody<'LogCall', 'customerId', 'agentId'>, LogCallDto>
{
  @ApiProperty({ example: 'call-20261120-001' })
  @Id()
  callId: string;

  @ApiProperty({ enum: CALL_DIRECTIONS, example: 'inbound' })
  @IsIn(CALL_DIRECTIONS)
  direction: CallDirection;

  @ApiProperty({ example: 240 })
  @IsSafeInteger()
  @Min(0)
  durationSeconds: number;

  @ApiPropertyOptional({ description: 'Defaults to the calling key', example: 'agent-7' })
  @Defaulted()
  @Id()
  agentId?: string;

  @ApiProperty({ example: 'delivery' })
  @Text(TEXT_LIMITS.term)
  topic: string;

  @ApiProperty({ enum: CALL_OUTCOMES, example: 'resolved' })
  @IsIn(CALL_OUTCOMES)
  outcome: CallOutcome;

  @ApiPropertyOptional({
    description: 'Personal data',
    example: 'Customer asked about the delivery date; confirmed Friday.',
  })
  @OptionalText(TEXT_LIMITS.text)
  notes?: string;
}
