import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TEXT_LIMITS } from '@rapport/domain';
import { IsBoolean } from 'class-validator';
import type { CommandBody, Exactly } from '../shared/command-body';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { Defaulted, Id, IsTime, Text } from '../shared/value-rules';

export class MakePromiseDto
  extends TouchpointDto
  implements Exactly<CommandBody<'MakePromise', 'customerId', 'madeBy'>, MakePromiseDto>
{
  @ApiProperty({ example: 'p-1' })
  @Id()
  promiseId: string;

  @ApiProperty({ description: 'Personal data', example: 'Call back with the replacement date' })
  @Text(TEXT_LIMITS.text)
  description: string;

  @ApiProperty({ example: '2026-11-25T18:00:00Z', description: 'not before occurredAt' })
  @IsTime()
  dueAt: string;

  @ApiPropertyOptional({ description: 'Defaults to the calling key', example: 'agent-7' })
  @Defaulted()
  @Id()
  madeBy?: string;

  @ApiProperty({ example: true, description: "within the company's policy limit" })
  @IsBoolean()
  withinPolicy: boolean;
}
