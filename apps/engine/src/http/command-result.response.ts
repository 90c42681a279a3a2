import type { FastifyInstance } from 'fastify';
import type { CommandResult } from '../command-handling/command-envelope';

const COMMAND_RESULT = Symbol('CommandResult');

/** Marks a handler's answer so the response hook below gives it its headers and body. */
export function markCommandResult(result: CommandResult): CommandResult {
  Object.defineProperty(result, COMMAND_RESULT, { value: true, enumerable: false });
  return result;
}

const isCommandResult = (payload: unknown): payload is CommandResult =>
  typeof payload === 'object' && payload !== null && (payload as Record<symbol, unknown>)[COMMAND_RESULT] === true;

/**
 * Every accepted command answers the same way: the new revision in `ETag`, `Idempotent-Replayed`
 * on replays, and a body listing the events. A Fastify hook rather than a Nest interceptor: it costs
 * nothing on the hot path.
 */
export function registerCommandResultResponse(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', async (_request, reply, payload) => {
    if (!isCommandResult(payload)) return payload;
    void reply.header('ETag', `"${payload.revision}"`);
    if (payload.replayed) void reply.header('Idempotent-Replayed', 'true');
    return {
      customerId: payload.customerId,
      revision: payload.revision,
      position: payload.position,
      eventIds: payload.events.map((e) => e.eventId),
      events: payload.events,
      replayed: payload.replayed,
    };
  });
}
