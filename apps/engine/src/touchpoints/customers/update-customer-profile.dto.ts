import { ApiPropertyOptional } from '@nestjs/swagger';
import { TEXT_LIMITS, type CommandOfType } from '@rapport/domain';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import type { Exactly } from '../shared/command-body';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { Email, MayBeAbsent, OptionalText, Text } from '../shared/value-rules';
import { DemographicsDto } from './demographics.dto';

type ProfileChanges = CommandOfType<'UpdateCustomerProfile'>['changes'];

/** The command's `changes`: only the fields given change; at least one must be given. */
export class UpdateCustomerProfileDto
  extends TouchpointDto
  implements Exactly<ProfileChanges, UpdateCustomerProfileDto>
{
  @ApiPropertyOptional({ description: 'Personal data', example: 'Li Na' })
  @MayBeAbsent()
  @Text(TEXT_LIMITS.name)
  name?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: 'na.li@example.com' })
  @MayBeAbsent()
  @Email(TEXT_LIMITS.email)
  email?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: '+86 139 0000 0000' })
  @OptionalText(TEXT_LIMITS.phone)
  phone?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: '1 Century Avenue, Shanghai' })
  @OptionalText(TEXT_LIMITS.text)
  address?: string;

  @ApiPropertyOptional({ example: 'North China' })
  @MayBeAbsent()
  @Text(TEXT_LIMITS.label)
  region?: string;

  @ApiPropertyOptional({ example: 'Beijing' })
  @MayBeAbsent()
  @Text(TEXT_LIMITS.label)
  city?: string;

  @ApiPropertyOptional({ type: DemographicsDto })
  @MayBeAbsent()
  @IsObject()
  @ValidateNested()
  @Type(() => DemographicsDto)
  demographics?: DemographicsDto;
}
