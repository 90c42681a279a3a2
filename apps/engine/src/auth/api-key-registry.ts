import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ID_PATTERN, ID_RULE } from '@rapport/domain';
import { EngineConfig } from '@rapport/application';
import { generateApiKey, hashApiKey } from './api-key-hash';
import type { AuthenticatedKey } from './authenticated-key';
import { API_ROLES, isApiRole, type ApiRole } from './roles';

interface StoredKey {
  id: string;
  role: ApiRole;
  sha256: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
export const DEV_KEYS_FILE = 'api-keys.json';

/**
 * The configured API keys, held only as SHA-256 hashes. Source: `API_KEYS` (`role:sha256,...` or a JSON
 * file path); when unset, development keys kept in `DATA_DIR/api-keys.json`, created and printed once.
 */
@Injectable()
export class ApiKeyRegistry {
  private readonly logger = new Logger(ApiKeyRegistry.name);
  private readonly byHash = new Map<string, AuthenticatedKey>();

  constructor(@Inject(EngineConfig) config: EngineConfig) {
    const keys = config.API_KEYS ? parseConfiguredKeys(config.API_KEYS) : this.developmentKeys(config.DATA_DIR);
    for (const key of keys) this.byHash.set(key.sha256, { id: key.id, role: key.role });
  }

  /** Keys seen recently, so a busy client is not hashed on every request (unknown keys are never kept). */
  private readonly recent = new Map<string, AuthenticatedKey>();

  /** The key's identity, or null for an unknown key. */
  authenticate(presentedKey: string): AuthenticatedKey | null {
    const seen = this.recent.get(presentedKey);
    if (seen) return seen;
    const key = this.byHash.get(hashApiKey(presentedKey)) ?? null;
    if (key) {
      if (this.recent.size >= 1_000) this.recent.clear();
      this.recent.set(presentedKey, key);
    }
    return key;
  }

  private developmentKeys(dataDir: string): StoredKey[] {
    const file = join(dataDir, DEV_KEYS_FILE);
    if (existsSync(file)) return parseKeyFile(file);
    mkdirSync(dataDir, { recursive: true });
    const plain = API_ROLES.map((role) => ({ role, key: generateApiKey(role) }));
    const stored = plain.map(({ role, key }) => ({ id: `dev-${role}`, role, sha256: hashApiKey(key) }));
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    this.logger.warn(`no API_KEYS configured: created development keys (hashes in ${file}); they are shown only now`);
    // Printed once, plainly, so a new user can copy a key from the first start.
    process.stdout.write(
      `\nRapport development API keys (shown once; send as "Authorization: Bearer <key>"):\n${plain
        .map(({ role, key }) => `  ${role.padEnd(10)} ${key}`)
        .join('\n')}\n\n`,
    );
    return stored;
  }
}

function parseConfiguredKeys(value: string): StoredKey[] {
  if (value.endsWith('.json') || existsSync(value)) return parseKeyFile(value);
  return value.split(',').map((entry, index) => {
    const [role = '', sha256 = '', id] = entry.trim().split(':');
    return checked(
      { role, sha256: sha256.toLowerCase(), id: id ?? `key-${index + 1}-${role}` },
      `API_KEYS entry ${index + 1}`,
    );
  });
}

function parseKeyFile(file: string): StoredKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`API_KEYS file ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`API_KEYS file ${file}: expected an array of { role, sha256, id? }`);
  return parsed.map((entry: Record<string, unknown>, index) =>
    checked(
      {
        role: String(entry.role ?? ''),
        sha256: String(entry.sha256 ?? '').toLowerCase(),
        id: String(entry.id ?? `key-${index + 1}-${String(entry.role)}`),
      },
      `API_KEYS file ${file} entry ${index + 1}`,
    ),
  );
}

function checked(entry: { role: string; sha256: string; id: string }, where: string): StoredKey {
  if (!isApiRole(entry.role)) throw new Error(`${where}: role "${entry.role}" is not one of ${API_ROLES.join(', ')}`);
  if (!SHA256_HEX.test(entry.sha256))
    throw new Error(`${where}: expected the SHA-256 hex of the key (64 hex characters), never the key itself`);
  // A key's id is recorded as the actor, and as the agent (madeBy, by, ...) when a request names none.
  if (!ID_PATTERN.test(entry.id)) throw new Error(`${where}: key id "${entry.id}" must be ${ID_RULE}`);
  return { id: entry.id, role: entry.role, sha256: entry.sha256 };
}
