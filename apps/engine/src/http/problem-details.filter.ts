import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './problem-mapping';

/** The one place errors become responses: `application/problem+json` for every route. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const body = { ...toProblem(error), instance: request.url };
  if (body.status >= 500) logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  if (body.status === 401) void reply.header('WWW-Authenticate', 'Bearer realm="rapport"');
  void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}
