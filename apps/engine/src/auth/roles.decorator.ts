import { SetMetadata } from '@nestjs/common';
import type { ApiRole } from './roles';

export const ROLES_KEY = 'rapport:roles';
export const PUBLIC_KEY = 'rapport:public';

/** The roles allowed to call a route. Every route declares it (or `@Public()`); the guard refuses the rest. */
export const Roles = (...roles: ApiRole[]) => SetMetadata(ROLES_KEY, roles);

/** A route anyone may call without a key (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
