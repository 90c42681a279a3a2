import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class DemographicsDto {
  @ApiPropertyOptional({ example: '25-34' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  ageBand?: string;

  @ApiPropertyOptional({ example: 'female' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  gender?: string;

  @ApiPropertyOptional({ example: 'middle' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  incomeBand?: string;
}
