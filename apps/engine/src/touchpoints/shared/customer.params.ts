import { ApiProperty } from '@nestjs/swagger';
import { Id } from './value-rules';

export class CustomerParams {
  @ApiProperty({ example: 'c-1001' })
  @Id()
  id: string;
}
