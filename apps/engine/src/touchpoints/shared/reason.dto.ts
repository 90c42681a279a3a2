import { ApiPropertyOptional } from '@nestjs/swagger';
import { TEXT_LIMITS } from '@rapport/domain';
import type { CommandBody, Exactly } from './command-body';
import { TouchpointDto } from './touchpoint.dto';
import { OptionalText } from './value-rules';

/** A touchpoint whose only detail is an optional free-text reason (personal data). */
export class ReasonDto
  extends TouchpointDto
  implements
    Exactly<CommandBody<'ReopenComplaint', 'customerId' | 'complaintId'>, ReasonDto>,
    Exactly<CommandBody<'BreakPromise', 'customerId' | 'promiseId'>, ReasonDto>,
    Exactly<CommandBody<'CancelPromise', 'customerId' | 'promiseId'>, ReasonDto>
{
  @ApiPropertyOptional({ description: 'Personal data', example: 'Customer asked for more time' })
  @OptionalText(TEXT_LIMITS.text)
  reason?: string;
}
