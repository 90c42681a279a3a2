import { TEXT_LIMITS } from '@rapport/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../shared/id-pattern';
import { MAX_TEXT, TouchpointDto } from '../shared/touchpoint.dto';
import { DemographicsDto } from './demographics.dto';

export class RegisterCustomerDto extends TouchpointDto {
  @ApiPropertyOptional({
    description: 'Defaults to an id derived from the Idempotency-Key, else a new UUID',
    example: 'c-1001',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  customerId?: string;

  @ApiProperty({ description: 'Personal data (encrypted at rest)', example: 'Li Na' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.name)
  name: string;

  @ApiPropertyOptional({ description: 'Personal data', example: 'li.na@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(TEXT_LIMITS.email)
  email?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: '+86 138 0000 0000' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LIMITS.phone)
  phone?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: '88 Nanjing Road, Shanghai' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  address?: string;

  @ApiProperty({ example: 'referral' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.label)
  acquisitionChannel: string;

  @ApiProperty({ example: 35.5, minimum: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  acquisitionCost: number;

  @ApiProperty({ example: 'East China' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.label)
  region: string;

  @ApiProperty({ example: 'Shanghai' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.label)
  city: string;

  @ApiPropertyOptional({ type: DemographicsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DemographicsDto)
  demographics?: DemographicsDto;
}
