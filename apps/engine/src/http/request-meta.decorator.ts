import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { canonicalJson } from '@rapport/event-store';
import type { Channel } from '@rapport/domain';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import type { CommandEnvelope } from '@rapport/application';
import { RequestValidationError } from './request-validation.error';

/** The request's part of a command envelope: everything but the channel, which the body carries. */
export type RequestMeta = Omit<CommandEnvelope, 'channel'>;

export const withChannel = (meta: RequestMeta, channel: Channel | undefined): CommandEnvelope => ({
  ...meta,
  channel: channel ?? 'web',
});

const TOKEN = /^[\x21-\x7e]{1,200}$/;

/**
 * Reads the authenticated key and the `Idempotency-Key`, `If-Match`, `X-Correlation-Id`, `X-Causation-Id`
 * headers; with an Idempotency-Key, also the request itself as sent (before defaults such as `occurredAt`).
 */
export const CommandMeta = createParamDecorator((_: unknown, context: ExecutionContext): RequestMeta => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const header = (name: string): string | undefined => {
    const value = request.headers[name];
    return typeof value === 'string' ? value.trim() : undefined;
  };
  const problems: { field: string; rule: string; message: string }[] = [];
  const token = (name: string): string | undefined => {
    const value = header(name);
    if (value === undefined) return undefined;
    if (TOKEN.test(value)) return value;
    problems.push({ field: name, rule: 'header_format', message: `${name} must be 1-200 visible ASCII characters` });
    return undefined;
  };
  const idempotencyKey = token('idempotency-key');
  const correlationId = token('x-correlation-id') ?? randomUUID();
  const causationId = token('x-causation-id') ?? null;
  const expectedRevision = parseIfMatch(header('if-match'), problems);
  if (problems.length > 0) throw new RequestValidationError(problems);
  if (!request.apiKey) throw new Error('CommandMeta used on a route without an authenticated key');
  return {
    actor: request.apiKey,
    correlationId,
    causationId,
    ...(idempotencyKey !== undefined
      ? { idempotencyKey, request: `${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}` }
      : {}),
    ...(expectedRevision !== undefined ? { expectedRevision } : {}),
  };
});

/** `If-Match: "7"` (or `W/"7"`, or `7`) is the revision the caller last saw; `*` means no precondition. */
function parseIfMatch(
  value: string | undefined,
  problems: { field: string; rule: string; message: string }[],
): number | undefined {
  if (value === undefined || value === '*') return undefined;
  const match = /^(?:W\/)?"?(-?\d{1,15})"?$/.exec(value);
  if (match?.[1] !== undefined) return Number(match[1]);
  problems.push({
    field: 'if-match',
    rule: 'etag_format',
    message: 'If-Match must be an ETag from an earlier response, e.g. "7"',
  });
  return undefined;
}
