import { HttpException } from '@nestjs/common';
import { isDomainError } from '@rapport/domain';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '@rapport/event-store';
import { ForbiddenRoleError, MissingApiKeyError, UndeclaredRouteRolesError } from '../auth/auth.errors';
import { InvalidQueryError } from '@rapport/read-store';
import { AnalystQueryError } from '@rapport/projection-engine';
import {
  ConcurrencyRetriesExhaustedError,
  IdempotencyKeyReuseError,
  ProjectionOwnedElsewhereError,
  ProjectorElsewhereError,
  ReadModelNotReadyError,
  StaleRevisionError,
  UnknownProjectionError,
  ConsumerGroupConflictError,
  InvalidWebhookUrlError,
  UnknownConsumerGroupError,
  UnknownWebhookError,
  WebhookReplayElsewhereError,
} from '@rapport/application';
import {
  ClvBacktestNotFittable,
  ClvBacktestQueryInvalid,
  NothingToBacktest,
} from '@rapport/scoring/clv-backtest-errors';
import { MethodNotAllowedError } from './http.errors';
import { problemType, type Problem } from './problem';
import { RequestValidationError } from './request-validation.error';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const problem = (status: number, slug: string, detail: string, extra: Partial<Problem> = {}): Problem => ({
  type: problemType(slug),
  title: TITLES[status] ?? 'Error',
  status,
  detail,
  ...extra,
});

/** Every error the engine can meet, as one problem document. Unknown errors become a bare 500. */
export function toProblem(error: unknown): Problem {
  if (error instanceof RequestValidationError)
    return problem(400, 'validation', error.message, { errors: error.errors });
  // A query outside the read store's language or the analyst's parameters, e.g. a cursor the engine did not issue.
  if (error instanceof InvalidQueryError || error instanceof AnalystQueryError)
    return problem(400, 'validation', error.message, {
      errors: [
        {
          field: error instanceof InvalidQueryError ? error.path : error.field,
          rule: 'invalid_query',
          message: error.message,
        },
      ],
    });
  // The CLV back-test's refusals: a query parameter as a field error, no purchases, a model that cannot fit.
  if (error instanceof ClvBacktestQueryInvalid)
    return toProblem(new RequestValidationError([{ field: error.field, rule: error.rule, message: error.detail }]));
  if (error instanceof NothingToBacktest) return problem(404, slugOf(404), error.message);
  if (error instanceof ClvBacktestNotFittable) return problem(422, slugOf(422), error.message);
  if (error instanceof MethodNotAllowedError)
    return problem(405, 'method-not-allowed', error.message, { allow: error.allow });
  if (isDomainError(error)) {
    const status = error.kind === 'not_found' ? 404 : error.kind === 'invalid' ? 400 : 409;
    const slug = error.kind === 'not_found' ? 'not-found' : error.kind === 'invalid' ? 'validation' : 'rule-violation';
    return problem(status, slug, error.message, {
      rule: error.rule,
      ...(error.field ? { errors: [{ field: error.field, rule: error.rule, message: error.message }] } : {}),
    });
  }
  if (error instanceof StaleRevisionError)
    return problem(412, 'stale-revision', error.message, { currentRevision: error.actual });
  if (error instanceof ConcurrencyRetriesExhaustedError)
    return problem(409, 'concurrency', error.message, { rule: 'stream.concurrent_writes' });
  if (error instanceof WrongExpectedRevisionError)
    return problem(409, 'concurrency', error.message, { rule: 'stream.concurrent_writes' });
  if (error instanceof IdempotencyKeyReuseError || error instanceof DuplicateEventIdError)
    return problem(422, 'idempotency-key-reused', error.message, { rule: 'idempotency.key_reused' });
  // Projection hosting: the bodies Nest's NotFound/Conflict/ServiceUnavailable exceptions gave them before.
  if (error instanceof UnknownProjectionError) return problem(404, 'not-found', error.message);
  if (error instanceof ProjectorElsewhereError || error instanceof ProjectionOwnedElsewhereError)
    return problem(409, slugOf(409), error.message);
  if (error instanceof ReadModelNotReadyError) return problem(503, slugOf(503), error.message);
  // Downstream delivery (webhooks, consumer groups): the bodies Nest's exceptions gave them before.
  if (error instanceof InvalidWebhookUrlError)
    return toProblem(new RequestValidationError([{ field: error.field, rule: error.rule, message: error.detail }]));
  if (error instanceof UnknownWebhookError || error instanceof UnknownConsumerGroupError)
    return problem(404, 'not-found', error.message);
  if (error instanceof WebhookReplayElsewhereError || error instanceof ConsumerGroupConflictError)
    return problem(409, slugOf(409), error.message);
  if (error instanceof MissingApiKeyError) return problem(401, 'unauthenticated', error.message);
  if (error instanceof ForbiddenRoleError)
    return problem(403, 'forbidden', error.message, { role: error.role, allowedRoles: error.allowed });
  if (error instanceof UndeclaredRouteRolesError) return problem(403, 'forbidden', error.message);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const detail =
      typeof body === 'string'
        ? body
        : Array.isArray((body as { message?: unknown }).message)
          ? (body as { message: string[] }).message.join('; ')
          : String((body as { message?: unknown }).message ?? error.message);
    return problem(status, slugOf(status), detail);
  }
  const fastifyStatus = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    // Raised by Fastify before a route runs: body too large, bad JSON, wrong content type.
    const code = (error as { code?: string }).code;
    return problem(fastifyStatus, slugOf(fastifyStatus), (error as Error).message, code ? { code } : {});
  }
  return problem(500, 'internal', 'an unexpected error occurred; it has been logged');
}

function slugOf(status: number): string {
  switch (status) {
    case 400:
      return 'bad-request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 413:
      return 'body-too-large';
    case 414:
      return 'uri-too-long';
    case 415:
      return 'unsupported-media-type';
    default:
      return `http-${status}`;
  }
}
