/** The roles an API key can carry. `system` (in the domain) is never given to a key. */
export const API_ROLES = ['agent', 'analyst', 'auditor', 'subscriber', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export const isApiRole = (value: string): value is ApiRole => (API_ROLES as readonly string[]).includes(value);

/** Who records touchpoints. */
export const WRITERS: ApiRole[] = ['agent', 'admin'];
