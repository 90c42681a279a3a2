import type { ApiRole } from './roles';

/** The caller, as established by the API key guard. */
export interface AuthenticatedKey {
  /** Stable, non-secret id of the key (shown in event metadata as the actor). */
  id: string;
  role: ApiRole;
}
