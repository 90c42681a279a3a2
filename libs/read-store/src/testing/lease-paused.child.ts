import { LeaseFencedError } from '../errors';
import { openLeaseTestStore } from './lease-test-store';

// The paused owner of sqlite-lease-processes.int.spec.ts (forked, with IPC): takes the lease,
// writes under it, then on each `write` message writes again and answers what happened. The
// parent stops it (SIGSTOP) between two writes, so it is never paused holding SQLite's write lock.
// Run: fork(this file, [store spec, lease, ttlMs], { execArgv: ['-r', '@swc-node/register'] })

const [spec, lease, ttlArg] = process.argv.slice(2) as [string, string, string];
const send = (message: unknown) => process.send?.(message);

async function main(): Promise<void> {
  const { store, close } = await openLeaseTestStore(spec);
  const grant = await store.acquireLease(lease, 'paused-owner', Number(ttlArg), Date.now());
  if (grant === null) throw new Error('the lease was not free');
  let n = 0;
  const write = async (): Promise<void> => {
    const id = `paused-${++n}`;
    try {
      await store.commit(
        [{ kind: 'upsert', collection: 'log', doc: { id, token: grant.token }, position: n }],
        { name: 'paused-cp', position: n },
        { lease, token: grant.token },
      );
      send({ wrote: id, token: grant.token, expiresAtMs: grant.expiresAtMs });
    } catch (error) {
      if (!(error instanceof LeaseFencedError)) throw error;
      const renewed = await store.renewLease(lease, 'paused-owner', grant.token, Number(ttlArg), Date.now());
      send({ fenced: id, currentToken: error.currentToken, renewed: renewed !== null });
    }
  };
  process.on('message', (message) => {
    if (message === 'write') void write().catch(fail);
    if (message === 'exit') void close().then(() => process.exit(0));
  });
  await write();
}

function fail(error: unknown): void {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
}

main().catch(fail);
