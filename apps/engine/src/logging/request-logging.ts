import type { FastifyInstance } from 'fastify';
import type { Level } from 'pino';

/** Failures at error, refusals at info, successes at debug: at info, success lines would cost a write per command. */
const levelOf = (status: number): Level => (status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug');

/**
 * One line per answered request, through the request's own child logger. Fastify's hook, not an
 * Express-style middleware with an async context per request: both cost every command measurably.
 */
export function logRequests(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    // A level below the logger's is pino's no-op.
    request.log[levelOf(reply.statusCode)]({ req: request, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime }, 'request completed');
    done();
  });
}
