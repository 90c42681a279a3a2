import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CustomerParams } from '../shared/customer.params';
import { ID_MESSAGE, ID_PATTERN } from '../shared/id-pattern';

export class PromiseParams extends CustomerParams {
  @ApiProperty({ example: 'p-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  promiseId: string;
}
