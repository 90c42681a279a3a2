import { TEXT_LIMITS } from '@rapport/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { MAX_TEXT, TouchpointDto } from '../shared/touchpoint.dto';
import { DemographicsDto } from './demographics.dto';

/** Only the fields given change; at least one must be given. */
export class UpdateCustomerProfileDto extends TouchpointDto {
  @ApiPropertyOptional({ description: 'Personal data', example: 'Li Na' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.name)
  name?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: 'na.li@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(TEXT_LIMITS.email)
  email?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: '+86 139 0000 0000' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LIMITS.phone)
  phone?: string;

  @ApiPropertyOptional({ description: 'Personal data', example: '1 Century Avenue, Shanghai' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  address?: string;

  @ApiPropertyOptional({ example: 'North China' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.label)
  region?: string;

  @ApiPropertyOptional({ example: 'Beijing' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.label)
  city?: string;

  @ApiPropertyOptional({ type: DemographicsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DemographicsDto)
  demographics?: DemographicsDto;
}
