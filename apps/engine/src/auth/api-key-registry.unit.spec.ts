import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEngineConfig } from '@rapport/application';
import { hashApiKey } from './api-key-hash';
import { ApiKeyRegistry, DEV_KEYS_FILE } from './api-key-registry';

describe('API keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts configured `role:sha256` keys and nothing else', () => {
    const registry = new ApiKeyRegistry(
      validateEngineConfig({ DATA_DIR: dir, API_KEYS: `agent:${hashApiKey('k1')},admin:${hashApiKey('k2')}:ops` }),
    );
    expect(registry.authenticate('k1')).toEqual({ id: 'key-1-agent', role: 'agent' });
    expect(registry.authenticate('k2')).toEqual({ id: 'ops', role: 'admin' });
    expect(registry.authenticate('k3')).toBeNull();
    expect(registry.authenticate(hashApiKey('k1'))).toBeNull();
  });

  it('reads keys from a JSON file', () => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify([{ role: 'auditor', sha256: hashApiKey('audit'), id: 'audit-1' }]));
    const registry = new ApiKeyRegistry(validateEngineConfig({ DATA_DIR: dir, API_KEYS: file }));
    expect(registry.authenticate('audit')).toEqual({ id: 'audit-1', role: 'auditor' });
  });

  it('refuses plain keys and unknown roles', () => {
    expect(() => new ApiKeyRegistry(validateEngineConfig({ DATA_DIR: dir, API_KEYS: 'agent:my-plain-key' }))).toThrow(
      /SHA-256 hex/,
    );
    expect(
      () => new ApiKeyRegistry(validateEngineConfig({ DATA_DIR: dir, API_KEYS: `root:${hashApiKey('x')}` })),
    ).toThrow(/role "root"/);
  });

  it('refuses a key id outside the one id rule: it is recorded as the agent when a request names none', () => {
    expect(
      () => new ApiKeyRegistry(validateEngineConfig({ DATA_DIR: dir, API_KEYS: `agent:${hashApiKey('x')}:Li Na` })),
    ).toThrow(/key id "Li Na" must be 1-200 characters/);
  });

  it('without API_KEYS, creates one development key per role once, stores only hashes, prints the keys once', () => {
    const printed: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      const first = new ApiKeyRegistry(validateEngineConfig({ DATA_DIR: dir }));
      const keys = [...printed.join('').matchAll(/^\s+(\w+)\s+(rk_\S+)$/gm)].map((m) => ({
        key: m[2] as string,
        role: m[1],
      }));
      expect(keys.map((k) => k.role)).toEqual(['agent', 'analyst', 'auditor', 'subscriber', 'admin']);
      for (const { key, role } of keys) expect(first.authenticate(key)?.role).toBe(role);
      const stored = readFileSync(join(dir, DEV_KEYS_FILE), 'utf8');
      for (const { key } of keys) {
        expect(stored).not.toContain(key);
        expect(stored).toContain(hashApiKey(key));
      }
      printed.length = 0;
      const second = new ApiKeyRegistry(validateEngineConfig({ DATA_DIR: dir }));
      expect(printed.join('')).not.toMatch(/rk_/);
      expect(second.authenticate(keys[0]?.key as string)?.role).toBe('agent');
    } finally {
      write.mockRestore();
    }
  });
});
