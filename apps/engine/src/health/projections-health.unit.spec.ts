import type { ProjectionStatusView } from '@rapport/application';
import { projectionsHealth } from './projections-health';

const status = (name: string, extra: Partial<ProjectionStatusView> = {}): ProjectionStatusView => ({
  name,
  version: 1,
  collection: `${name}-v1`,
  checkpoint: 10,
  headPosition: 10,
  eventsBehind: 0,
  secondsBehind: 0,
  parked: 0,
  state: 'live',
  rebuild: null,
  lastError: null,
  runner: 'in-process',
  owner: { worker: 'w1', token: 1, leaseExpiresAt: '2026-01-01T00:00:10.000Z' },
  ...extra,
});

describe('projection runner health', () => {
  it('is not degraded while every projection is live or catching up, however far behind', () => {
    const health = projectionsHealth([
      status('a'),
      status('b', { state: 'catching_up', eventsBehind: 5000, secondsBehind: 90 }),
      status('c', { state: 'rebuilding' }),
    ]);
    expect(health).toMatchObject({ degraded: false, problems: [] });
    expect(health.projections['b']).toMatchObject({ state: 'catching_up', eventsBehind: 5000, secondsBehind: 90 });
  });

  it('is degraded by a stopped projection, naming it and its error', () => {
    expect(projectionsHealth([status('a'), status('b', { state: 'stopped', lastError: 'disk full' })])).toMatchObject({
      degraded: true,
      problems: ['b: stopped (disk full)'],
    });
  });

  it('is degraded by parked events and by a reported error', () => {
    expect(
      projectionsHealth([status('a', { parked: 2 }), status('b', { lastError: 'retrying after: boom' })]),
    ).toMatchObject({
      degraded: true,
      problems: ['a: 2 parked events', 'b: retrying after: boom'],
    });
  });

  it('given projections nobody has owned for over a lease time, then they are named as ownerless and as problems', () => {
    const health = projectionsHealth(
      [status('a'), status('b', { owner: { worker: null, token: 3, leaseExpiresAt: null } })],
      ['b'],
    );
    expect(health).toMatchObject({
      degraded: true,
      ownerless: ['b'],
      problems: ['b: no projector worker has owned it for over a lease time'],
    });
    expect(health.projections['a']?.owner).toBe('w1');
    expect(health.projections['b']?.owner).toBeNull();
  });

  it('given a partitioned projection one of whose partitions nobody has owned for over a lease time, then that partition is named', () => {
    const owner = (worker: string | null) => ({ worker, token: 2, leaseExpiresAt: null });
    const partition = (index: number, worker: string | null, lastError: string | null = null) => ({
      unit: `a#${index}/2`,
      index,
      count: 2,
      running: worker === 'w1',
      checkpoint: 10 - index,
      phase: 'live' as const,
      lastError,
      owner: owner(worker),
    });
    const health = projectionsHealth(
      [
        status('a', {
          owner: owner(null),
          partitions: [partition(0, 'w1', 'retrying after: busy'), partition(1, null)],
        }),
      ],
      ['a#1/2'],
    );
    expect(health).toMatchObject({
      degraded: true,
      ownerless: ['a#1/2'],
      problems: ['a#1/2: no projector worker has owned it for over a lease time', 'a#0/2: retrying after: busy'],
    });
    expect(health.projections['a']?.partitions).toEqual({
      'a#0/2': { owner: 'w1', checkpoint: 10 },
      'a#1/2': { owner: null, checkpoint: 9 },
    });
  });
});
