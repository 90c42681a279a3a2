import { Pool } from 'undici';

/** What one POST to a receiver came to. */
export interface SendOutcome {
  ok: boolean;
  /** HTTP status, or null when no answer came (refused, reset, timed out). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface SenderOptions {
  /** Open connections per receiver origin (kept alive). */
  maxSockets: number;
  timeoutMs: number;
}

/** Receiver origins whose connection pools are kept. */
const MAX_POOLS = 1000;

/**
 * POSTs webhook bodies over kept-alive connections, one undici pool per receiver origin (several
 * times the requests per second of node:http on the same core). No redirect is followed: a 3xx is
 * a failure, so a receiver cannot bounce signed payloads elsewhere. 2xx is success; anything
 * else, or no answer within the timeout, is a failure the caller retries.
 */
export class WebhookSender {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: SenderOptions) {}

  async send(url: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<SendOutcome> {
    const started = performance.now();
    const target = new URL(url);
    try {
      const response = await this.poolFor(target.origin).request({
        method: 'POST',
        path: `${target.pathname}${target.search}`,
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Rapport-Webhooks/1' },
        body,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        ...(signal ? { signal } : {}),
      });
      // Drain the answer so the connection is reused; only the status matters.
      await response.body.dump();
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      return {
        ok,
        status: response.statusCode,
        error: ok ? null : `HTTP ${response.statusCode}`,
        durationMs: performance.now() - started,
      };
    } catch (error) {
      const e = error as Error & { code?: string };
      return {
        ok: false,
        status: null,
        error: e.code ? `${e.code}: ${e.message}` : e.message,
        durationMs: performance.now() - started,
      };
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }

  private poolFor(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      if (this.pools.size >= MAX_POOLS) {
        const [oldest, stale] = this.pools.entries().next().value as [string, Pool];
        this.pools.delete(oldest);
        void stale.close();
      }
      pool = new Pool(origin, { connections: this.options.maxSockets, keepAliveTimeout: 30_000 });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}
