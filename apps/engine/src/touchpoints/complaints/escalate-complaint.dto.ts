import { ApiProperty } from '@nestjs/swagger';
import { TEXT_LIMITS } from '@rapport/domain';
import type { CommandBody, Exactly } from '../shared/command-body';
import { ReasonDto } from '../shared/reason.dto';
import { Text } from '../shared/value-rules';

export class EscalateComplaintDto
  extends ReasonDto
  implements Exactly<CommandBody<'EscalateComplaint', 'customerId' | 'complaintId'>, EscalateComplaintDto>
{
  @ApiProperty({ example: 'team-lead', description: 'a team or person: any name, not an id' })
  @Text(TEXT_LIMITS.term)
  to: string;
}
