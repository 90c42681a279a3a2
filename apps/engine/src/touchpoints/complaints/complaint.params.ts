import { ApiProperty } from '@nestjs/swagger';
import { CustomerParams } from '../shared/customer.params';
import { Id } from '../shared/value-rules';

export class ComplaintParams extends CustomerParams {
  @ApiProperty({ example: 'cmp-1' })
  @Id()
  complaintId: string;
}
