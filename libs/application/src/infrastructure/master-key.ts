import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@nestjs/common';

export const DEV_MASTER_KEY_FILE = 'master.key';

/**
 * The 32-byte key that wraps every customer key: `MASTER_KEY` (hex or base64), or in development one
 * generated once into DATA_DIR (with a warning: keep it out of backups of the data it protects).
 */
export function resolveMasterKey(
  configured: string | undefined,
  dataDir: string,
  logger: Pick<Logger, 'warn'>,
): Buffer {
  if (configured) return decodeKey(configured);
  const file = join(dataDir, DEV_MASTER_KEY_FILE);
  if (existsSync(file)) return decodeKey(readFileSync(file, 'utf8').trim());
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600 });
  logger.warn(`MASTER_KEY not set: generated a development master key in ${file}; set MASTER_KEY in production`);
  return key;
}

function decodeKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('MASTER_KEY must decode to exactly 32 bytes');
  return key;
}
