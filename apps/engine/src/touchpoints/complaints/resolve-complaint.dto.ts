import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TEXT_LIMITS } from '@rapport/domain';
import type { CommandBody, Exactly } from '../shared/command-body';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { Defaulted, Id, Text } from '../shared/value-rules';

export class ResolveComplaintDto
  extends TouchpointDto
  implements Exactly<CommandBody<'ResolveComplaint', 'customerId' | 'complaintId', 'by'>, ResolveComplaintDto>
{
  @ApiPropertyOptional({ description: 'Defaults to the calling key', example: 'agent-7' })
  @Defaulted()
  @Id()
  by?: string;

  @ApiProperty({ description: 'Personal data', example: 'Refunded shipping and sent a voucher' })
  @Text(TEXT_LIMITS.text)
  resolution: string;
}
