import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import type { CommandResult } from '../command-handling/command-envelope';

/** Puts a command's revision in `ETag` and marks replayed answers; the body lists the events. */
@Injectable()
export class CommandResultInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler<CommandResult>): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((result) => {
        void reply.header('ETag', `"${result.revision}"`);
        if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
        return {
          customerId: result.customerId,
          revision: result.revision,
          position: result.position,
          eventIds: result.events.map((e) => e.eventId),
          events: result.events,
          replayed: result.replayed,
        };
      }),
    );
  }
}
