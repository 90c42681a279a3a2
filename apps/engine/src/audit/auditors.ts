import type { AuthenticatedRequest } from '../auth/api-key.guard';
import type { ApiRole } from '../auth/roles';

/** Who may call the audit API. */
export const AUDITORS: ApiRole[] = ['auditor', 'admin'];

/** The caller's role (the global guard has authenticated every non-public route). */
export function roleOf(request: AuthenticatedRequest): ApiRole {
  if (!request.apiKey) throw new Error('route reached without an authenticated API key');
  return request.apiKey.role;
}
