import { ApiPropertyOptional } from '@nestjs/swagger';
import { TEXT_LIMITS } from '@rapport/domain';
import type { CommandBody, Exactly } from '../shared/command-body';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { Defaulted, Id, OptionalText } from '../shared/value-rules';

export class KeepPromiseDto
  extends TouchpointDto
  implements Exactly<CommandBody<'KeepPromise', 'customerId' | 'promiseId', 'keptBy'>, KeepPromiseDto>
{
  @ApiPropertyOptional({ description: 'Defaults to the calling key', example: 'agent-7' })
  @Defaulted()
  @Id()
  keptBy?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: 'Replacement shipped' })
  @OptionalText(TEXT_LIMITS.text)
  note?: string;
}
