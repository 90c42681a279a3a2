import { ApiPropertyOptional } from '@nestjs/swagger';
import type { Channel } from '@rapport/domain';
import { IsIn } from 'class-validator';
import { Defaulted, IsTime } from './value-rules';

// Every channel a caller may name (`system` is the engine's own): a channel added to the domain's
// type and not here fails to compile.
const CALLER_CHANNELS: Record<Exclude<Channel, 'system'>, true> = {
  phone: true,
  email: true,
  wechat: true,
  web: true,
  store: true,
  app: true,
  sms: true,
  import: true,
};
export const CHANNELS = Object.keys(CALLER_CHANNELS) as readonly Channel[];

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
