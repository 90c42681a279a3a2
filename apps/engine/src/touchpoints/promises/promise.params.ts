import { ApiProperty } from '@nestjs/swagger';
import { CustomerParams } from '../shared/customer.params';
import { Id } from '../shared/value-rules';

export class PromiseParams extends CustomerParams {
  @ApiProperty({ example: 'p-1' })
  @Id()
  promiseId: string;
}
