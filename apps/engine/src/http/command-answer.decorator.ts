import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { CommandResult } from '@rapport/application';

/** The body of an accepted command (see CommandResultDto). */
export interface CommandResultBody {
  customerId: string;
  revision: number;
  position: number;
  eventIds: string[];
  events: CommandResult['events'];
  replayed: boolean;
}

/** Turns a command's result into the route's answer: headers on the reply, the body returned. */
export type CommandAnswer = (result: CommandResult) => CommandResultBody;

/**
 * Every accepted command answers the same way: the new revision in `ETag`, `Idempotent-Replayed` on
 * replays, and a body listing the events. The controller answers with it (`.then(answer)`): a Nest
 * interceptor would do the same through rxjs at ~25 µs a request.
 */
export const AnswerCommand = createParamDecorator((_: unknown, context: ExecutionContext): CommandAnswer => {
  const reply = context.switchToHttp().getResponse<FastifyReply>();
  return (result) => commandAnswer(reply, result);
});

export function commandAnswer(reply: FastifyReply, result: CommandResult): CommandResultBody {
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
}
