import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TEXT_LIMITS } from '@rapport/domain';
import { Type } from 'class-transformer';
import { IsNumber, IsObject, Min, ValidateNested } from 'class-validator';
import type { CommandBody, Exactly } from '../shared/command-body';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { Defaulted, Email, Id, MayBeAbsent, OptionalText, Text } from '../shared/value-rules';
import { DemographicsDto } from './demographics.dto';

export class RegisterCustomerDto
  extends TouchpointDto
  implements Exactly<CommandBody<'RegisterCustomer', never, 'customerId'>, RegisterCustomerDto>
{
  @ApiPropertyOptional({
    description: 'Defaults to an id derived from the Idempotency-Key, else a new UUID',
    example: 'c-1001',
  })
  @Defaulted()
  @Id()
  customerId?: string;

  @ApiProperty({ description: 'Personal data (encrypted at rest)', example: 'Li Na' })
  @Text(TEXT_LIMITS.name)
  name: string;

  @ApiPropertyOptional({ description: 'Personal data', example: 'li.na@example.com' })
  @MayBeAbsent()
  @Email(TEXT_LIMITS.email)
  email?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: '+86 138 0000 0000' })
  @OptionalText(TEXT_LIMITS.phone)
  phone?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: '88 Nanjing Road, Shanghai' })
  @OptionalText(TEXT_LIMITS.text)
  address?: string;

  @ApiProperty({ example: 'referral' })
  @Text(TEXT_LIMITS.label)
  acquisitionChannel: string;

  @ApiProperty({ example: 35.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  acquisitionCost: number;

  @ApiProperty({ example: 'East China' })
  @Text(TEXT_LIMITS.label)
  region: string;

  @ApiProperty({ example: 'Shanghai' })
  @Text(TEXT_LIMITS.label)
  city: string;

  @ApiPropertyOptional({ type: DemographicsDto })
  @MayBeAbsent()
  @IsObject()
  @ValidateNested()
  @Type(() => DemographicsDto)
  demographics?: DemographicsDto;
}
