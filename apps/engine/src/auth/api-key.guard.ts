import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiKeyRegistry } from './api-key-registry';
import type { AuthenticatedKey } from './authenticated-key';
import { ForbiddenRoleError, MissingApiKeyError, UndeclaredRouteRolesError } from './auth.errors';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import type { ApiRole } from './roles';

export type AuthenticatedRequest = FastifyRequest & { apiKey?: AuthenticatedKey };

/** Global guard: a key in `Authorization: Bearer` or `X-Api-Key`, and a role the route declares. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiKeyRegistry) private readonly keys: ApiKeyRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<ApiRole[] | undefined>(ROLES_KEY, targets);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presented = presentedKey(request);
    if (!presented) throw new MissingApiKeyError('no API key: send "Authorization: Bearer <key>" or "X-Api-Key"');
    const key = this.keys.authenticate(presented);
    if (!key) throw new MissingApiKeyError('unknown API key');
    // Fail closed: a route that forgot to declare its roles is callable by nobody.
    if (!roles) throw new UndeclaredRouteRolesError();
    if (!roles.includes(key.role)) throw new ForbiddenRoleError(key.role, roles);
    request.apiKey = key;
    return true;
  }
}

function presentedKey(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1]) return match[1];
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header : null;
}
