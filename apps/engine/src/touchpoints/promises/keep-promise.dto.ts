import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../shared/id-pattern';
import { MAX_TEXT, TouchpointDto } from '../shared/touchpoint.dto';

export class KeepPromiseDto extends TouchpointDto {
  @ApiPropertyOptional({ description: 'Defaults to the calling key', example: 'agent-7' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  keptBy?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: 'Replacement shipped' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  note?: string;
}
