import pino, { type Logger } from 'pino';
import type { EngineConfig } from '@rapport/application';

/**
 * The engine's one pino logger. Fastify writes the request lines through it (a child logger per
 * request, carrying its id) and Nest's logger writes everything else.
 */
export const createEngineLogger = (config: Pick<EngineConfig, 'LOG_LEVEL'>): Logger =>
  pino({
    level: config.LOG_LEVEL,
    // Never the headers: they carry API keys.
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
    },
  });
