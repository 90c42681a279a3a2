import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../touchpoints/shared/id-pattern';

/** `POST /audit/verify`: one customer, or every stream when the body names none. */
export class VerifyRequestDto {
  @ApiPropertyOptional({ example: 'c-1001', description: 'Verify only this customer (answered at once)' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  customerId?: string;
}
