import { TEXT_LIMITS } from '@rapport/domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { TouchpointDto } from '../shared/touchpoint.dto';

export class EraseCustomerDto extends TouchpointDto {
  @ApiProperty({ example: 'GDPR art. 17 request #4711', description: 'why (not personal data: keep names out)' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.erasureReason)
  reason: string;
}
