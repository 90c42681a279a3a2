import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SurveyKind } from '@rapport/domain';
import { SURVEY_KINDS } from '@rapport/domain';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../shared/id-pattern';
import { MAX_TEXT, TouchpointDto } from '../shared/touchpoint.dto';
import { IsSafeInteger } from '../shared/is-safe-integer';

export class RecordSurveyResponseDto extends TouchpointDto {
  @ApiProperty({ example: 'nps-2026-q4' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  surveyId: string;

  @ApiProperty({ enum: SURVEY_KINDS, example: 'nps' })
  @IsIn(SURVEY_KINDS)
  kind: SurveyKind;

  @ApiPropertyOptional({ example: 9, description: 'NPS 0-10, CSAT 1-5, CES 1-7; none for feedback' })
  @IsOptional()
  @IsSafeInteger()
  score?: number;

  @ApiPropertyOptional({ description: 'Personal data', example: '服务很好，送货很快' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  comment?: string;
}
