import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_TEXT, TouchpointDto } from './touchpoint.dto';

/** A touchpoint whose only detail is an optional free-text reason (personal data). */
export class ReasonDto extends TouchpointDto {
  @ApiPropertyOptional({ description: 'Personal data', example: 'Customer asked for more time' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  reason?: string;
}
