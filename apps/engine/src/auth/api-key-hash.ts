import { createHash, randomBytes } from 'node:crypto';
import type { ApiRole } from './roles';

/** Keys are stored and configured only as SHA-256 hex of the key. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** A new random key, recognisable by its prefix and role. */
export const generateApiKey = (role: ApiRole): string => `rk_${role}_${randomBytes(24).toString('base64url')}`;
