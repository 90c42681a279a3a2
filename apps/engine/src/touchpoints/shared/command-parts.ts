import { type Clock, type CommandEnvelope } from '@rapport/application';
import { withChannel, type RequestMeta } from '../../http/request-meta.decorator';
import type { TouchpointDto } from './touchpoint.dto';

/** Splits a body into the command's own fields, its business time (default: now) and the envelope. */
export function commandParts<T extends TouchpointDto>(
  dto: T,
  meta: RequestMeta,
  clock: Clock,
): { fields: Omit<T, 'occurredAt' | 'channel'>; occurredAt: string; envelope: CommandEnvelope } {
  const { occurredAt, channel, ...fields } = dto;
  return { fields, occurredAt: occurredAt ?? clock.now().toISOString(), envelope: withChannel(meta, channel) };
}
