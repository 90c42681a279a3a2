// A local webhook receiver in a process of its own (the engine's event loop is not shared with it):
// answers 204, reports each webhook-id with its arrival time (epoch ms, sub-millisecond) to the
// parent over IPC, and goes down / comes back on the same port when told.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';

const now = (): number => performance.timeOrigin + performance.now();
let port = 0;
let server: Server | undefined;
const sockets = new Set<Socket>();
let batch: [string, number][] = [];

function up(): Promise<void> {
  const s = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      batch.push([String(request.headers['webhook-id']), now()]);
      response.writeHead(204).end();
    });
  });
  s.keepAliveTimeout = 60_000;
  s.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) =>
    s.listen(port, '127.0.0.1', () => {
      port = (s.address() as { port: number }).port;
      server = s;
      resolve();
    }),
  );
}

async function down(): Promise<void> {
  const s = server;
  server = undefined;
  if (!s) return;
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => s.close(() => resolve()));
}

setInterval(() => {
  if (batch.length === 0) return;
  process.send!({ kind: 'hooks', hooks: batch });
  batch = [];
}, 20);

process.on('message', (message: { kind: 'up' | 'down' }) => {
  void (message.kind === 'up' ? up() : down()).then(() => process.send!({ kind: message.kind, port }));
});
process.on('disconnect', () => process.exit(0));
void up().then(() => process.send!({ kind: 'ready', port }));
