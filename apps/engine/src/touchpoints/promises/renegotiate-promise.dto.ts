import { ApiProperty } from '@nestjs/swagger';
import type { CommandBody, Exactly } from '../shared/command-body';
import { ReasonDto } from '../shared/reason.dto';
import { IsTime } from '../shared/value-rules';

export class RenegotiatePromiseDto
  extends ReasonDto
  implements Exactly<CommandBody<'RenegotiatePromise', 'customerId' | 'promiseId'>, RenegotiatePromiseDto>
{
  @ApiProperty({ example: '2026-12-02T18:00:00Z' })
  @IsTime()
  newDueAt: string;
}
