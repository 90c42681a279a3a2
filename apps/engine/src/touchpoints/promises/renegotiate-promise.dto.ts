import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import { ReasonDto } from '../shared/reason.dto';

export class RenegotiatePromiseDto extends ReasonDto {
  @ApiProperty({ example: '2026-12-02T18:00:00Z' })
  @IsISO8601({ strict: true })
  newDueAt: string;
}
