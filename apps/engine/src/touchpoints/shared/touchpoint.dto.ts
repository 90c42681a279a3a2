import { ApiPropertyOptional } from '@nestjs/swagger';
import { TEXT_LIMITS, type Channel } from '@rapport/domain';
import { IsIn } from 'class-validator';
import { Defaulted, IsTime } from './value-rules';

export const CHANNELS: readonly Channel[] = ['phone', 'email', 'wechat', 'web', 'store', 'app', 'sms', 'import'];
export const MAX_ID = TEXT_LIMITS.id;
export const MAX_TEXT = TEXT_LIMITS.text;

/** Fields every touchpoint body may carry: when it happened (business time) and through which channel. */
export abstract class TouchpointDto {
  @ApiPropertyOptional({
    description: 'Business time (ISO-8601 with a time zone); defaults to the time of recording',
    example: '2026-11-20T09:30:00Z',
  })
  @Defaulted()
  @IsTime()
  occurredAt?: string;

  @ApiPropertyOptional({ enum: CHANNELS, default: 'web', example: 'phone' })
  @Defaulted()
  @IsIn(CHANNELS)
  channel?: Channel;
}
