import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_TEXT, TouchpointDto } from '../shared/touchpoint.dto';

export class ComplaintCustomerResponseDto extends TouchpointDto {
  @ApiPropertyOptional({
    description: 'Personal data: what the customer answered',
    example: 'Photo of the damaged box attached',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  note?: string;
}
