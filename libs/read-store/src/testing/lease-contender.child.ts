import { LeaseFencedError } from '../errors';
import type { LeaseGrant } from '../read-store.port';
import { openLeaseTestStore } from './lease-test-store';

// One contender of sqlite-lease-processes.int.spec.ts: for `durationMs` it takes, renews, writes
// under, releases and (by pausing past its TTL) loses one lease, and prints what it saw as one
// JSON line. Its windows are conservative: a grant counts from when the store answered to the
// expiry it gave (now stamped before the call + TTL), a release ends it when release is called.
// Run: node -r @swc-node/register lease-contender.child.ts <store spec> <owner> <durationMs> <ttlMs> <seed>
// (store spec: see lease-test-store.ts).

export type ContenderEvent =
  | { kind: 'window'; token: number; from: number; until: number }
  /** `startedAt`/`endedAt`: the machine's clock around the commit call. */
  | { kind: 'commit'; id: string; token: number; landed: boolean; startedAt: number; endedAt: number };

const [spec, owner, durationArg, ttlArg, seedArg] = process.argv.slice(2);
const LEASE = 'projection:customer-value#p0';
const ttlMs = Number(ttlArg);
let seed = Number(seedArg);
const random = (): number => {
  // mulberry32: each contender behaves differently but reproducibly.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const { store, close } = await openLeaseTestStore(spec as string);
  const events: ContenderEvent[] = [];
  const end = Date.now() + Number(durationArg);
  let held: LeaseGrant | null = null;
  let attempt = 0;
  let windowStart = 0;
  const closeWindow = (until: number) => {
    // A window that starts after its end (a pause, a refused renewal) is empty.
    if (held && windowStart < until) events.push({ kind: 'window', token: held.token, from: windowStart, until });
  };
  while (Date.now() < end) {
    if (held === null) {
      const grant = await store.acquireLease(LEASE, owner as string, ttlMs, Date.now());
      if (grant === null) {
        await sleep(2 + random() * 10);
        continue;
      }
      held = grant;
      windowStart = Date.now();
    }
    const id = `${owner}-${++attempt}`;
    const token: number = held.token;
    const startedAt = Date.now();
    try {
      await store.commit([{ kind: 'upsert', collection: 'log', doc: { id, owner, token }, position: 1 }], undefined, {
        lease: LEASE,
        token,
      });
      events.push({ kind: 'commit', id, token, landed: true, startedAt, endedAt: Date.now() });
    } catch (error) {
      if (!(error instanceof LeaseFencedError)) throw error;
      events.push({ kind: 'commit', id, token, landed: false, startedAt, endedAt: Date.now() });
      closeWindow(Math.min(held.expiresAtMs, Date.now()));
      held = null;
      continue;
    }
    const roll = random();
    if (roll < 0.1) {
      // Give it up: the window ends before the store can hand it to anyone else.
      const at = Date.now();
      closeWindow(Math.min(held.expiresAtMs, at));
      await store.releaseLease(LEASE, owner as string, token);
      held = null;
      await sleep(random() * 5);
    } else if (roll < 0.2) {
      // A pause (GC, SIGSTOP, partition) past the TTL: the next commit is likely fenced off.
      closeWindow(held.expiresAtMs);
      await sleep(ttlMs * 1.5);
      windowStart = Number.POSITIVE_INFINITY;
      const renewal = await store.renewLease(LEASE, owner as string, token, ttlMs, Date.now());
      // A renewal refused, or one that came back after its own expiry, leaves no window.
      if (renewal) windowStart = Date.now();
      held = renewal ?? { ...held };
    } else {
      await sleep(random() * 4);
      if (held.expiresAtMs - Date.now() < ttlMs / 2) {
        closeWindow(held.expiresAtMs);
        const renewal = await store.renewLease(LEASE, owner as string, token, ttlMs, Date.now());
        if (renewal === null) held = null;
        else {
          held = renewal;
          windowStart = Date.now();
        }
      }
    }
  }
  if (held) {
    closeWindow(Math.min(held.expiresAtMs, Date.now()));
    await store.releaseLease(LEASE, owner as string, held.token);
  }
  await close();
  process.stdout.write(`${JSON.stringify(events)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
