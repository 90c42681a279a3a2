import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsPositive, IsString, Matches, MaxLength } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../shared/id-pattern';
import { MAX_TEXT, TouchpointDto } from '../shared/touchpoint.dto';

export class RefundPurchaseDto extends TouchpointDto {
  @ApiProperty({ example: 'r-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  refundId: string;

  @ApiProperty({ example: 19.9, description: 'never more than what is left of the order' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  amount: number;

  @ApiPropertyOptional({ example: 'CNY', description: "defaults to the order's currency" })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code: three capital letters' })
  currency?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: 'Damaged on arrival' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  reason?: string;
}
