// SSE subscribers in a process of their own (the engine's event loop is not shared with them):
// opens N connections, counts each connection's purchases and the append-to-arrival latency read
// from the order id (`o-<epoch µs>-<n>`), with native buffer searches so a thousand connections
// fit on one core.
import { connect, type Socket } from 'node:net';

const now = (): number => performance.timeOrigin + performance.now();
const MARK = Buffer.from('"orderId":"o-');
const CARRY = 96;
const BUCKET_MS = 0.5;
const hist = new Uint32Array(40_000); // 0.5 ms buckets up to 20 s
const counts: number[] = [];
const sockets: Socket[] = [];

function count(index: number, buffer: Buffer, start: number, end: number, at: number): void {
  counts[index]!++;
  const micros = Number(buffer.toString('latin1', start, end));
  hist[Math.min(hist.length - 1, Math.max(0, Math.floor((at - micros / 1000) / BUCKET_MS)))]!++;
}

/**
 * One subscriber on a raw socket: the request written by hand and the response's head skipped, so the
 * process spends its core on the events rather than on HTTP client machinery (a thousand of them share
 * one core; with http.request this process, not the engine, was the first to run out of CPU).
 */
function open(index: number, url: string, key: string): Promise<void> {
  counts[index] = 0;
  let carry: Buffer = Buffer.alloc(0);
  let head: Buffer | null = Buffer.alloc(0);
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.write(
        `GET ${pathname}${search} HTTP/1.1\r\nhost: ${hostname}:${port}\r\nauthorization: Bearer ${key}\r\naccept: text/event-stream\r\n\r\n`,
      ),
    );
    socket.on('error', reject);
    sockets.push(socket);
    socket.on('data', (data: Buffer) => {
      const at = now();
      let chunk = data;
      if (head !== null) {
        head = Buffer.concat([head, data]);
        const bodyAt = head.indexOf('\r\n\r\n');
        if (bodyAt === -1) return;
        const status = head.toString('latin1', 0, head.indexOf('\r\n'));
        if (!/^HTTP\/1\.1 200 /.test(status)) {
          socket.destroy();
          return reject(new Error(status));
        }
        resolve();
        chunk = head.subarray(bodyAt + 4);
        head = null;
      }
      // A mark cut by the previous chunk's end is read from a small joined edge (counted when it ends
      // in this chunk); every other mark is read from the chunk itself, without copying it. (Chunked
      // transfer encoding, if any, puts its size lines between whole frames: never inside a mark.)
      if (carry.length > 0) {
        const edge = Buffer.concat([carry, chunk.subarray(0, CARRY)]);
        for (let i = edge.indexOf(MARK); i !== -1 && i < carry.length; i = edge.indexOf(MARK, i + 1)) {
          const end = edge.indexOf(45 /* - */, i + MARK.length);
          if (end >= carry.length) count(index, edge, i + MARK.length, end, at);
        }
      }
      let i = chunk.indexOf(MARK);
      while (i !== -1) {
        const end = chunk.indexOf(45 /* - */, i + MARK.length);
        if (end === -1) break; // cut: read from the edge with the next chunk
        count(index, chunk, i + MARK.length, end, at);
        i = chunk.indexOf(MARK, end);
      }
      carry = chunk.subarray(Math.max(0, chunk.length - CARRY));
    });
  });
}

process.on('message', (message: { kind: string; count?: number; url?: string; key?: string }) => {
  void (async () => {
    if (message.kind === 'open') {
      const base = counts.length;
      for (let i = 0; i < message.count!; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, message.count! - i) }, (_, j) =>
            open(base + i + j, message.url!, message.key!),
          ),
        );
      }
      process.send!({ kind: 'opened' });
    } else if (message.kind === 'report') {
      const buckets: [number, number][] = [];
      hist.forEach((n, b) => n > 0 && buckets.push([b * BUCKET_MS, n]));
      process.send!({ kind: 'report', counts, buckets });
      hist.fill(0);
      counts.fill(0);
    } else if (message.kind === 'close') {
      for (const socket of sockets.splice(0)) socket.destroy();
      counts.length = 0;
      process.send!({ kind: 'closed' });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
process.send!({ kind: 'ready' });
