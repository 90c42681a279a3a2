import { ApiProperty } from '@nestjs/swagger';
import { CustomerParams } from '../shared/customer.params';
import { Id } from '../shared/value-rules';

export class OrderParams extends CustomerParams {
  @ApiProperty({ example: 'o-5001' })
  @Id()
  orderId: string;
}
