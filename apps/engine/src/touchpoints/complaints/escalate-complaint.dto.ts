import { TEXT_LIMITS } from '@rapport/domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ReasonDto } from '../shared/reason.dto';

export class EscalateComplaintDto extends ReasonDto {
  @ApiProperty({ example: 'team-lead' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.term)
  to: string;
}
