import { ApiProperty } from '@nestjs/swagger';
import { TEXT_LIMITS } from '@rapport/domain';
import type { CommandBody, Exactly } from '../shared/command-body';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { Text } from '../shared/value-rules';

export class EraseCustomerDto extends TouchpointDto implements Exactly<CommandBody<'EraseCustomer'>, EraseCustomerDto> {
  @ApiProperty({ example: 'GDPR art. 17 request #4711', description: 'why (not personal data: keep names out)' })
  @Text(TEXT_LIMITS.erasureReason)
  reason: string;
}
