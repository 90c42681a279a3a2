import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Where a projector worker leaves its id in its data dir, for the process restarted after it. */
export const WORKER_IDENTITY_FILE = 'projector-worker.json';

interface Identity {
  id: string;
  name: string;
  host: string;
  pid: number;
}

/** Ids given out in this process: never handed to a second engine of the same process (tests run several). */
const issuedHere = new Set<string>();

const nameOf = (name?: string): string =>
  ((name ?? hostname()).replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'worker').slice(0, 100);

/** A worker id unique to this process: `<name>-<pid>-<random>`. */
export function newWorkerId(name?: string): string {
  return `${nameOf(name)}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Whether the process `pid` of this host is gone (a stopped, SIGSTOPped one is not). */
function gone(pid: number): boolean {
  if (pid === process.pid) return true; // a predecessor with our pid (a restarted container) cannot be alive
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The worker id of this process. A worker restarted on the same host and data dir after its
 * predecessor died (a crash, SIGKILL) takes the predecessor's id, and with it its leases at once with
 * the same fencing tokens, instead of waiting for them to run out: safe because that process is gone,
 * so nothing else can write under those tokens. Otherwise (predecessor alive or paused, another host
 * or name, no file) a new id. The file is claimed by an atomic rename, so two processes starting
 * together never both take the same id. Only with `resume` (an embedded SQLite read store, whose
 * commits are local: a dead process has none in flight; a server could still apply a commit sent
 * just before the death, which only a new token would refuse).
 */
export function claimWorkerId(dataDir: string, name?: string, resume = true): { id: string; resumed: boolean } {
  const file = join(dataDir, WORKER_IDENTITY_FILE);
  const claimed = `${file}.${process.pid}.${randomBytes(3).toString('hex')}`;
  let previous: Partial<Identity> | null = null;
  try {
    renameSync(file, claimed);
    previous = JSON.parse(readFileSync(claimed, 'utf8')) as Partial<Identity>;
  } catch {
    previous = null; // none, unreadable, or another process claimed it first
  }
  rmSync(claimed, { force: true });
  const resumable =
    resume &&
    previous !== null &&
    typeof previous.id === 'string' &&
    typeof previous.pid === 'number' &&
    previous.host === hostname() &&
    previous.name === nameOf(name) &&
    !issuedHere.has(previous.id) &&
    gone(previous.pid);
  const id = resumable ? (previous!.id as string) : newWorkerId(name);
  issuedHere.add(id);
  try {
    mkdirSync(dataDir, { recursive: true });
    const identity: Identity = { id, name: nameOf(name), host: hostname(), pid: process.pid };
    writeFileSync(file, `${JSON.stringify(identity)}\n`);
  } catch {
    // A read-only data dir: the next start waits for the leases to run out instead.
  }
  return { id, resumed: resumable };
}
