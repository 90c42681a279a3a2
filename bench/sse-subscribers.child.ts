// SSE subscribers in a process of their own (the engine's event loop is not shared with them):
// opens N connections, counts each connection's purchases and the append-to-arrival latency read
// from the order id (`o-<epoch µs>-<n>`), with native buffer searches so a thousand connections
// fit on one core.
import { request, type ClientRequest } from 'node:http';

const now = (): number => performance.timeOrigin + performance.now();
const MARK = Buffer.from('"orderId":"o-');
const CARRY = 96;
const BUCKET_MS = 0.5;
const hist = new Uint32Array(40_000); // 0.5 ms buckets up to 20 s
const counts: number[] = [];
const requests: ClientRequest[] = [];

function count(index: number, buffer: Buffer, start: number, end: number, at: number): void {
  counts[index]!++;
  const micros = Number(buffer.toString('latin1', start, end));
  hist[Math.min(hist.length - 1, Math.max(0, Math.floor((at - micros / 1000) / BUCKET_MS)))]!++;
}

function open(index: number, url: string, key: string): Promise<void> {
  counts[index] = 0;
  let carry: Buffer = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    const r = request(
      url,
      { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' }, agent: false },
      (response) => {
        if (response.statusCode !== 200) return reject(new Error(`HTTP ${response.statusCode}`));
        resolve();
        response.on('data', (chunk: Buffer) => {
          const at = now();
          // A mark cut by the previous chunk's end is read from a small joined edge (counted when it ends
          // in this chunk); every other mark is read from the chunk itself, without copying it.
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
      },
    );
    r.on('error', () => undefined);
    r.end();
    requests.push(r);
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
      for (const r of requests.splice(0)) r.destroy();
      counts.length = 0;
      process.send!({ kind: 'closed' });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
process.send!({ kind: 'ready' });
