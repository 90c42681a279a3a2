import { ApiPropertyOptional } from '@nestjs/swagger';
import { TEXT_LIMITS } from '@rapport/domain';
import type { CommandBody, Exactly } from '../shared/command-body';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { OptionalText } from '../shared/value-rules';

export class ComplaintCustomerResponseDto
  extends TouchpointDto
  implements
    Exactly<CommandBody<'RecordComplaintCustomerResponse', 'customerId' | 'complaintId'>, ComplaintCustomerResponseDto>
{
  @ApiPropertyOptional({
    description: 'Personal data: what the customer answered',
    example: 'Photo of the damaged box attached',
  })
  @OptionalText(TEXT_LIMITS.text)
  note?: string;
}
