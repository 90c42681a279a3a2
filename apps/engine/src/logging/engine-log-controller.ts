import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Level } from 'pino';

/** Failures at error, refusals at info, successes at debug: at info, success lines would cost a write per command. */
const levelOf = (status: number): Level => (status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug');

/**
 * Fastify's request lines, one per answered request through the request's own child logger (which
 * carries its id), at a level that follows the status. No "incoming request" line: the answer says it.
 */
export class EngineLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    // A level below the logger's is pino's no-op.
    reply.log[error ? 'error' : levelOf(reply.statusCode)](
      {
        req: request,
        res: { statusCode: reply.statusCode },
        responseTime: reply.elapsedTime,
        ...(error ? { err: error } : {}),
      },
      'request completed',
    );
  }
}
