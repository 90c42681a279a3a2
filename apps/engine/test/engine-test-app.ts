import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@rapport/event-store';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { generateApiKey, hashApiKey } from '../src/auth/api-key-hash';
import { API_ROLES, type ApiRole } from '../src/auth/roles';
import { createApp } from '../src/bootstrap/create-app';
import { validateEngineConfig, type EngineEnv } from '@rapport/application';

export interface TestEngine {
  app: NestFastifyApplication;
  dataDir: string;
  keys: Record<ApiRole, string>;
  /** An HTTP request through Fastify's inject, as `role` (or without a key when role is null). */
  request(role: ApiRole | null, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The engine on the embedded SQLite store in a fresh temp dir, with one API key per role. */
export async function startTestEngine(env: EngineEnv = {}): Promise<TestEngine> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'rapport-engine-'));
  const keys = Object.fromEntries(API_ROLES.map((role) => [role, generateApiKey(role)])) as Record<ApiRole, string>;
  const config = validateEngineConfig({
    DATA_DIR: dataDir,
    API_KEYS: API_ROLES.map((role) => `${role}:${hashApiKey(keys[role])}:test-${role}`).join(','),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await createApp(config);
  return {
    app,
    dataDir,
    keys,
    request: (role, options) =>
      app.inject({
        ...options,
        headers: { ...(role ? { authorization: `Bearer ${keys[role]}` } : {}), ...(options.headers ?? {}) },
      }),
    close: async () => {
      await app.close();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every stored event of a stream (Node 20 has no Array.fromAsync). */
export async function storedEvents(engine: TestEngine, streamId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of engine.app.get<EventStore>(EVENT_STORE).readStream(streamId)) events.push(event);
  return events;
}

/** Position of the last event in the store: unchanged means nothing was stored. */
export const headPosition = (engine: TestEngine): Promise<number> =>
  engine.app.get<EventStore>(EVENT_STORE).headPosition();
