import { ApiPropertyOptional } from '@nestjs/swagger';
import { TEXT_LIMITS, type Demographics } from '@rapport/domain';
import type { Exactly } from '../shared/command-body';
import { OptionalText } from '../shared/value-rules';

export class DemographicsDto implements Exactly<Demographics, DemographicsDto> {
  @ApiPropertyOptional({ example: '25-34' })
  @OptionalText(TEXT_LIMITS.demographic)
  ageBand?: string;

  @ApiPropertyOptional({ example: 'female' })
  @OptionalText(TEXT_LIMITS.demographic)
  gender?: string;

  @ApiPropertyOptional({ example: 'middle' })
  @OptionalText(TEXT_LIMITS.demographic)
  incomeBand?: string;
}
