import { ApiPropertyOptional } from '@nestjs/swagger';
import { TEXT_LIMITS } from '@rapport/domain';
import type { CommandBody, Exactly } from '../shared/command-body';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { Defaulted, Id, OptionalText } from '../shared/value-rules';

/** Acknowledging a complaint, and replying to wait for the customer: the same body. */
export class AcknowledgeComplaintDto
  extends TouchpointDto
  implements
    Exactly<CommandBody<'AcknowledgeComplaint', 'customerId' | 'complaintId', 'by'>, AcknowledgeComplaintDto>,
    Exactly<CommandBody<'AwaitComplaintCustomer', 'customerId' | 'complaintId', 'by'>, AcknowledgeComplaintDto>
{
  @ApiPropertyOptional({ description: 'Defaults to the calling key', example: 'agent-7' })
  @Defaulted()
  @Id()
  by?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: 'Apologised; investigating with the carrier' })
  @OptionalText(TEXT_LIMITS.text)
  note?: string;
}
