import { applyDecorators, HttpCode, HttpStatus } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { CommandResultDto } from './command-result.dto';

/** A command route: its status, its answer (ETag and body), and in OpenAPI its headers and every problem it can return. */
export const TouchpointRoute = (summary: string, status: HttpStatus = HttpStatus.CREATED) =>
  applyDecorators(
    HttpCode(status),
    ApiOperation({ summary }),
    ApiBearerAuth(),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'same key, same answer; nothing stored twice',
      example: 'req-7f3a9c',
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'the ETag (revision) you last saw; 412 when stale',
      example: '"3"',
    }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, example: 'corr-42' }),
    ApiResponse({ status, type: CommandResultDto, description: 'recorded; the ETag header carries the new revision' }),
    ApiResponse({
      status: 400,
      description: 'invalid field (application/problem+json, `errors` lists field and rule)',
    }),
    ApiResponse({ status: 401, description: 'no or unknown API key' }),
    ApiResponse({ status: 403, description: 'the key’s role may not call this route' }),
    ApiResponse({ status: 404, description: 'unknown customer (or order, promise, complaint)' }),
    ApiResponse({ status: 409, description: 'a domain rule is broken; `rule` names it' }),
    ApiResponse({ status: 412, description: 'If-Match is stale' }),
    ApiResponse({ status: 413, description: 'body too large' }),
  );
