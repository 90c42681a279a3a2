import { ApiProperty } from '@nestjs/swagger';
import type { ComplaintSeverity } from '@rapport/domain';
import { TEXT_LIMITS } from '@rapport/domain';
import { COMPLAINT_SEVERITIES } from '@rapport/domain';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../shared/id-pattern';
import { MAX_TEXT, TouchpointDto } from '../shared/touchpoint.dto';

export class FileComplaintDto extends TouchpointDto {
  @ApiProperty({ example: 'cmp-1' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  complaintId: string;

  @ApiProperty({ example: 'delivery' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.term)
  category: string;

  @ApiProperty({ enum: COMPLAINT_SEVERITIES, example: 'high' })
  @IsIn(COMPLAINT_SEVERITIES)
  severity: ComplaintSeverity;

  @ApiProperty({ description: 'Personal data', example: 'The parcel arrived two weeks late and damaged.' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  description: string;
}
