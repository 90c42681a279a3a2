import { TEXT_LIMITS } from '@rapport/domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { IsSafeInteger } from '../shared/is-safe-integer';

export class PurchaseLineDto {
  @ApiProperty({ example: 'SKU-1042' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.term)
  sku: string;

  @ApiProperty({ example: 'books' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.term)
  category: string;

  @ApiProperty({ example: 2, minimum: 1 })
  @IsSafeInteger()
  @Min(1)
  quantity: number;

  @ApiProperty({ example: 19.9, minimum: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  unitPrice: number;
}
