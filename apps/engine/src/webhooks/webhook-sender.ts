import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What one POST to a receiver came to. */
export interface SendOutcome {
  ok: boolean;
  /** HTTP status, or null when no answer came (refused, reset, timed out). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface SenderOptions {
  /** Open connections per receiver host (keep-alive). */
  maxSockets: number;
  timeoutMs: number;
}

/**
 * POSTs webhook bodies over kept-alive connections (node:http, no redirects followed: a 3xx is a
 * failure, so a receiver cannot bounce signed payloads elsewhere). 2xx is success; anything else,
 * or no answer within the timeout, is a failure the caller retries.
 */
export class WebhookSender {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;

  constructor(private readonly options: SenderOptions) {
    this.http = new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets });
    this.https = new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets });
  }

  send(url: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<SendOutcome> {
    const started = performance.now();
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    return new Promise((resolve) => {
      let settled = false;
      const finish = (status: number | null, error: string | null): void => {
        if (settled) return;
        settled = true;
        resolve({
          ok: status !== null && status >= 200 && status < 300,
          status,
          error,
          durationMs: performance.now() - started,
        });
      };
      const request = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          agent: secure ? this.https : this.http,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Rapport-Webhooks/1',
          },
          timeout: this.options.timeoutMs,
          ...(signal ? { signal } : {}),
        },
        (response: IncomingMessage) => {
          // Drain the answer so the connection can be reused; only the status matters.
          response.resume();
          response.on('end', () =>
            finish(
              response.statusCode ?? null,
              response.statusCode && response.statusCode < 300 ? null : `HTTP ${response.statusCode}`,
            ),
          );
          response.on('error', (error) => finish(response.statusCode ?? null, error.message));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      request.on('error', (error: NodeJS.ErrnoException) =>
        finish(null, error.code ? `${error.code}: ${error.message}` : error.message),
      );
      request.end(body);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
