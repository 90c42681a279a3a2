import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';

/** One request as a receiver saw it. */
export interface ReceivedHook {
  webhookId: string;
  verified: boolean;
  status: number;
  event: {
    streamId: string;
    revision: number;
    position: number;
    type: string;
    metadata: { eventId: string; occurredAt: string };
  };
  at: number;
}

export type ReceiverMode = { kind: 'ok' } | { kind: 'fail'; status: number } | { kind: 'slow'; delayMs: number };

/**
 * A real HTTP webhook receiver for tests and benches: verifies each request's Standard Webhooks
 * signature with its secret (answers 401 when it does not verify), can fail, be slow, or go down
 * (stop listening) and come back on the same port.
 */
export class TestReceiver {
  readonly received: ReceivedHook[] = [];
  mode: ReceiverMode = { kind: 'ok' };
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private verifier: Webhook;
  port = 0;
  onHook?: (hook: ReceivedHook) => void;

  constructor(secret: string) {
    this.verifier = new Webhook(secret);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Only accepted (2xx) requests, in arrival order. */
  get accepted(): ReceivedHook[] {
    return this.received.filter((r) => r.status < 300);
  }

  setSecret(secret: string): void {
    this.verifier = new Webhook(secret);
  }

  async up(): Promise<void> {
    const server = createServer((request, response) => void this.handle(request, response));
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Stops listening and cuts open connections: senders see refused connections. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = {
      'webhook-id': String(request.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
    };
    let verified = true;
    try {
      this.verifier.verify(body, headers);
    } catch {
      verified = false;
    }
    const mode = this.mode;
    if (mode.kind === 'slow') await sleep(mode.delayMs);
    const status = !verified ? 401 : mode.kind === 'fail' ? mode.status : 204;
    const hook: ReceivedHook = {
      webhookId: headers['webhook-id'],
      verified,
      status,
      event: JSON.parse(body),
      at: performance.now(),
    };
    this.received.push(hook);
    this.onHook?.(hook);
    response.writeHead(status).end();
  }
}

/** For each customer stream, the positions of its first accepted deliveries, in arrival order. */
export function firstArrivalsPerStream(hooks: readonly ReceivedHook[]): Map<string, number[]> {
  const seen = new Set<string>();
  const streams = new Map<string, number[]>();
  for (const hook of hooks) {
    if (seen.has(hook.webhookId)) continue;
    seen.add(hook.webhookId);
    const list = streams.get(hook.event.streamId) ?? [];
    list.push(hook.event.position);
    streams.set(hook.event.streamId, list);
  }
  return streams;
}
