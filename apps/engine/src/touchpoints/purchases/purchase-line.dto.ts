import { ApiProperty } from '@nestjs/swagger';
import { TEXT_LIMITS, type PurchaseLine } from '@rapport/domain';
import { IsNumber, Min } from 'class-validator';
import type { Exactly } from '../shared/command-body';
import { IsSafeInteger } from '../shared/is-safe-integer';
import { Text } from '../shared/value-rules';

export class PurchaseLineDto implements Exactly<PurchaseLine, PurchaseLineDto> {
  @ApiProperty({ example: 'SKU-1042', description: 'any name, not an id' })
  @Text(TEXT_LIMITS.term)
  sku: string;

  @ApiProperty({ example: 'books' })
  @Text(TEXT_LIMITS.term)
  category: string;

  @ApiProperty({ example: 2 })
  @IsSafeInteger()
  @Min(1)
  quantity: number;

  @ApiProperty({ example: 19.9 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  unitPrice: number;
}
