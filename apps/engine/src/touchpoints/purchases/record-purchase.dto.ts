import { ApiProperty } from '@nestjs/swagger';
import { MAX_PURCHASE_LINES } from '@rapport/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNumber, IsObject, Min, ValidateNested } from 'class-validator';
import type { CommandBody, Exactly } from '../shared/command-body';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { Currency, Id } from '../shared/value-rules';
import { PurchaseLineDto } from './purchase-line.dto';

export class RecordPurchaseDto
  extends TouchpointDto
  implements Exactly<CommandBody<'RecordPurchase'>, RecordPurchaseDto>
{
  @ApiProperty({ example: 'o-5001' })
  @Id()
  orderId: string;

  @ApiProperty({
    type: [PurchaseLineDto],
    example: [{ sku: 'SKU-1042', category: 'books', quantity: 2, unitPrice: 19.9 }],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PURCHASE_LINES)
  // Each line an object: class-validator would walk into a list found there and check nothing.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PurchaseLineDto)
  lines: PurchaseLineDto[];

  @ApiProperty({ example: 39.8, description: 'sum of quantity x unitPrice, within one cent' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  total: number;

  @ApiProperty({ example: 'CNY', description: 'ISO 4217' })
  @Currency()
  currency: string;
}
