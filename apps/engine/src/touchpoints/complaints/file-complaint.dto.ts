import { ApiProperty } from '@nestjs/swagger';
import { COMPLAINT_SEVERITIES, TEXT_LIMITS, type ComplaintSeverity } from '@rapport/domain';
import { IsIn } from 'class-validator';
import type { CommandBody, Exactly } from '../shared/command-body';
import { TouchpointDto } from '../shared/touchpoint.dto';
import { Id, Text } from '../shared/value-rules';

export class FileComplaintDto extends TouchpointDto implements Exactly<CommandBody<'FileComplaint'>, FileComplaintDto> {
  @ApiProperty({ example: 'cmp-1' })
  @Id()
  complaintId: string;

  @ApiProperty({ example: 'delivery' })
  @Text(TEXT_LIMITS.term)
  category: string;

  @ApiProperty({ enum: COMPLAINT_SEVERITIES, example: 'high' })
  @IsIn(COMPLAINT_SEVERITIES)
  severity: ComplaintSeverity;

  @ApiProperty({ description: 'Personal data', example: 'The parcel arrived two weeks late and damaged.' })
  @Text(TEXT_LIMITS.text)
  description: string;
}
