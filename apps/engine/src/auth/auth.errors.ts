import type { ApiRole } from './roles';

/** 401: no key, or a key we do not know. */
export class MissingApiKeyError extends Error {
  override readonly name = 'MissingApiKeyError';
}

/** 403: the key's role may not call this route. */
export class ForbiddenRoleError extends Error {
  override readonly name = 'ForbiddenRoleError';
  constructor(
    readonly role: ApiRole,
    readonly allowed: readonly ApiRole[],
  ) {
    super(`role "${role}" may not call this route (allowed: ${allowed.join(', ')})`);
  }
}

/** 403: the route declares no roles, so nobody may call it. */
export class UndeclaredRouteRolesError extends Error {
  override readonly name = 'UndeclaredRouteRolesError';
  constructor() {
    super('this route declares no roles');
  }
}
