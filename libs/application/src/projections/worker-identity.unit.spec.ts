import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimWorkerId, newWorkerId, WORKER_IDENTITY_FILE } from './worker-identity';

describe('a projector worker’s id', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-worker-id-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, WORKER_IDENTITY_FILE);
  const leave = (identity: Record<string, unknown>) => writeFileSync(file, JSON.stringify(identity));
  /** The pid of a process that has exited. */
  const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

  it('is new per process, from a name fit for a lease', () => {
    const id = newWorkerId('node a/1');
    expect(id).toMatch(new RegExp(`^node-a-1-${process.pid}-[0-9a-f]{6}$`));
    expect(newWorkerId('node a/1')).not.toBe(id);
  });

  it('given a predecessor on this host and data dir that died, then the restarted worker takes its id (and so its leases at once)', () => {
    leave({ id: 'w-1-abcdef', name: 'w', host: hostname(), pid: deadPid() });
    expect(claimWorkerId(dir, 'w')).toEqual({ id: 'w-1-abcdef', resumed: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ id: 'w-1-abcdef', pid: process.pid });
  });

  it('given a predecessor still alive (or only paused), another host or another name, then a new id', () => {
    leave({ id: 'w-2-abcdef', name: 'w', host: hostname(), pid: process.ppid });
    expect(claimWorkerId(dir, 'w')).toMatchObject({ resumed: false });
    leave({ id: 'w-3-abcdef', name: 'w', host: `not-${hostname()}`, pid: deadPid() });
    expect(claimWorkerId(dir, 'w')).toMatchObject({ resumed: false });
    leave({ id: 'w-4-abcdef', name: 'w', host: hostname(), pid: deadPid() });
    expect(claimWorkerId(dir, 'other')).toMatchObject({ resumed: false });
    leave({ id: 'w-5-abcdef', name: 'w', host: hostname(), pid: deadPid() });
    expect(claimWorkerId(dir, 'w', false)).toMatchObject({ resumed: false }); // a server read store: always new
  });

  it('never gives one id to two engines of the same process (their pid is the same)', () => {
    const first = claimWorkerId(dir, 'w');
    const second = claimWorkerId(dir, 'w');
    expect(second.id).not.toBe(first.id);
    expect(second.resumed).toBe(false);
  });

  it('given no file or an unreadable one, then a new id, and the file is written for the next start', () => {
    rmSync(file, { force: true });
    expect(claimWorkerId(dir, 'w').resumed).toBe(false);
    writeFileSync(file, 'not json');
    const { id, resumed } = claimWorkerId(dir, 'w');
    expect(resumed).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ id, name: 'w', host: hostname(), pid: process.pid });
  });
});
