import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SURVEY_KINDS, TEXT_LIMITS, type SurveyKind } from '@rapport/domain';
import { IsIn } from 'class-validator';
import type { CommandBody, Exactly } from '../shared/command-body';
import { IsSafeInteger } from '../shared/is-safe-integer';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { Id, MayBeAbsent, OptionalText } from '../shared/value-rules';

/** The score's range by kind and a feedback's comment are the domain's checks: they weigh two fields. */
export class RecordSurveyResponseDto
  extends TouchpointDto
  implements Exactly<CommandBody<'RecordSurveyResponse'>, RecordSurveyResponseDto>
{
  @ApiProperty({ example: 'nps-2026-q4' })
  @Id()
  surveyId: string;

  @ApiProperty({ enum: SURVEY_KINDS, example: 'nps' })
  @IsIn(SURVEY_KINDS)
  kind: SurveyKind;

  @ApiPropertyOptional({ example: 9, description: 'NPS 0-10, CSAT 1-5, CES 1-7; none for feedback' })
  @MayBeAbsent()
  @IsSafeInteger()
  score?: number;

  @ApiPropertyOptional({ description: 'Personal data', example: '服务很好，送货很快' })
  @OptionalText(TEXT_LIMITS.text)
  comment?: string;
}
