import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from './id-pattern';

export class CustomerParams {
  @ApiProperty({ example: 'c-1001' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id: string;
}
