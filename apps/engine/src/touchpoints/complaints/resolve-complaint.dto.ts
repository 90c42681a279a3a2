import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../shared/id-pattern';
import { MAX_TEXT, TouchpointDto } from '../shared/touchpoint.dto';

export class ResolveComplaintDto extends TouchpointDto {
  @ApiPropertyOptional({ description: 'Defaults to the calling key', example: 'agent-7' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  by?: string;

  @ApiProperty({ description: 'Personal data', example: 'Refunded shipping and sent a voucher' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  resolution: string;
}
