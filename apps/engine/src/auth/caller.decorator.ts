import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './api-key.guard';
import type { AuthenticatedKey } from './authenticated-key';

/** The authenticated caller of a guarded route (the API key guard has run). */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedKey => {
  const key = context.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;
  if (key === undefined) throw new Error('Caller used on a route without the API key guard');
  return key;
});
