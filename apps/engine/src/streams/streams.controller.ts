import { Controller, Get, Headers, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { Roles } from '../auth/roles.decorator';
import type { ApiRole } from '../auth/roles';
import { roleOf } from '../audit/auditors';
import { RequestValidationError } from '../http/request-validation.error';
import { CustomerParams } from '../touchpoints/shared/customer.params';
import { selectedEventTypes } from '@rapport/application';
import { EventStreamService } from './event-stream.service';
import { DEFAULT_HEARTBEAT_SECONDS, StreamQueryDto } from './stream-query.dto';

/** Who may subscribe to the event streams. */
export const SUBSCRIBERS: ApiRole[] = ['subscriber', 'admin'];

@ApiTags('streams')
@ApiSecurity('api-key')
@Controller('streams')
@Roles(...SUBSCRIBERS)
export class StreamsController {
  constructor(@Inject(EventStreamService) private readonly streams: EventStreamService) {}

  @Get('all')
  @ApiOperation({ summary: 'Every customer event as server-sent events, from a position, live' })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this position (wins over `from`)' })
  all(
    @Query() query: StreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): void {
    this.streams.serve(reply, { ...options(query, lastEventId), role: roleOf(request) });
  }

  @Get('customers/:id')
  @ApiOperation({ summary: "One customer's events as server-sent events, from a position, live" })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this position (wins over `from`)' })
  customer(
    @Param() { id }: CustomerParams,
    @Query() query: StreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): void {
    this.streams.serve(reply, { ...options(query, lastEventId), role: roleOf(request), customerId: id });
  }
}

function options(query: StreamQueryDto, lastEventId: string | undefined) {
  return {
    from: lastEventId === undefined || lastEventId.trim() === '' ? (query.from ?? 0) : parseLastEventId(lastEventId),
    types: selectedEventTypes(query.types ?? [], query.categories ?? []) ?? [],
    heartbeatSeconds: query.heartbeat ?? DEFAULT_HEARTBEAT_SECONDS,
  };
}

/** A reconnecting client sends back the last `id:` it saw: a global position. */
function parseLastEventId(value: string): number {
  const trimmed = value.trim();
  if (/^\d{1,15}$/.test(trimmed)) return Number(trimmed);
  throw new RequestValidationError([
    {
      field: 'last-event-id',
      rule: 'position',
      message: 'Last-Event-ID must be a global position (a non-negative integer) from an earlier event',
    },
  ]);
}
