import { TEXT_LIMITS } from '@rapport/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class DemographicsDto {
  @ApiPropertyOptional({ example: '25-34' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LIMITS.demographic)
  ageBand?: string;

  @ApiPropertyOptional({ example: 'female' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LIMITS.demographic)
  gender?: string;

  @ApiPropertyOptional({ example: 'middle' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LIMITS.demographic)
  incomeBand?: string;
}
