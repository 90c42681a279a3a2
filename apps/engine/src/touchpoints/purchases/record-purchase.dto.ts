import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNumber, Matches, Min, ValidateNested } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../shared/id-pattern';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { PurchaseLineDto } from './purchase-line.dto';

export class RecordPurchaseDto extends TouchpointDto {
  @ApiProperty({ example: 'o-5001' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  orderId: string;

  @ApiProperty({
    type: [PurchaseLineDto],
    example: [{ sku: 'SKU-1042', category: 'books', quantity: 2, unitPrice: 19.9 }],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PurchaseLineDto)
  lines: PurchaseLineDto[];

  @ApiProperty({ example: 39.8, description: 'sum of quantity x unitPrice, within one cent' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  total: number;

  @ApiProperty({ example: 'CNY', description: 'ISO 4217' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code: three capital letters' })
  currency: string;
}
