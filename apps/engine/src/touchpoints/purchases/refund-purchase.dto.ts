import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TEXT_LIMITS } from '@rapport/domain';
import { IsNumber, IsPositive } from 'class-validator';
import type { CommandBody, Exactly } from '../shared/command-body';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { Currency, Id, MayBeAbsent, OptionalText } from '../shared/value-rules';

export class RefundPurchaseDto
  extends TouchpointDto
  implements Exactly<CommandBody<'RefundPurchase', 'customerId' | 'orderId'>, RefundPurchaseDto>
{
  @ApiProperty({ example: 'r-1' })
  @Id()
  refundId: string;

  @ApiProperty({ example: 19.9, description: 'never more than what is left of the order' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  amount: number;

  @ApiPropertyOptional({ example: 'CNY', description: "defaults to the order's currency" })
  @MayBeAbsent()
  @Currency()
  currency?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: 'Damaged on arrival' })
  @OptionalText(TEXT_LIMITS.text)
  reason?: string;
}
