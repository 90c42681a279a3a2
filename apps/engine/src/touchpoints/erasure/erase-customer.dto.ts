import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { TouchpointDto } from '../shared/touchpoint.dto';

export class EraseCustomerDto extends TouchpointDto {
  @ApiProperty({ example: 'GDPR art. 17 request #4711', description: 'why (not personal data: keep names out)' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}
