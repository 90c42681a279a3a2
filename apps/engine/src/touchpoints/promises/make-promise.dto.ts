import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../shared/id-pattern';
import { MAX_TEXT, TouchpointDto } from '../shared/touchpoint.dto';

export class MakePromiseDto extends TouchpointDto {
  @ApiProperty({ example: 'p-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  promiseId: string;

  @ApiProperty({ description: 'Personal data', example: 'Call back with the replacement date' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  description: string;

  @ApiProperty({ example: '2026-11-25T18:00:00Z', description: 'not before occurredAt' })
  @IsISO8601({ strict: true })
  dueAt: string;

  @ApiPropertyOptional({ description: 'Defaults to the calling key', example: 'agent-7' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  madeBy?: string;

  @ApiProperty({ example: true, description: "within the company's policy limit" })
  @IsBoolean()
  withinPolicy: boolean;
}
