import type { ProjectionStatusView } from '@rapport/application';

export interface ProjectionsHealth {
  /** True when a projection is stopped, has parked events or reports an error: reads may be stale or incomplete. */
  degraded: boolean;
  /** One line per reason, naming the projection. */
  problems: string[];
  /**
   * Projections, or partitions of one (`<name>#<i>/<n>`), no projector worker has owned for longer than
   * a lease time: nobody keeps them (or those customers of them) up to date (down).
   */
  ownerless: string[];
  projections: Record<
    string,
    Pick<
      ProjectionStatusView,
      'state' | 'checkpoint' | 'eventsBehind' | 'secondsBehind' | 'parked' | 'lastError' | 'runner'
    > & { owner: string | null; partitions?: Record<string, { owner: string | null; checkpoint: number }> }
  >;
}

/**
 * Judges the projections from their status and leases; lag alone is not a problem (catching up is
 * normal), nor is a moment without an owner (a worker taking over), but `ownerless` ones are.
 */
export function projectionsHealth(
  statuses: readonly ProjectionStatusView[],
  ownerless: readonly string[] = [],
): ProjectionsHealth {
  const problems: string[] = [];
  const projections: ProjectionsHealth['projections'] = {};
  for (const s of statuses) {
    projections[s.name] = {
      state: s.state,
      checkpoint: s.checkpoint,
      eventsBehind: s.eventsBehind,
      secondsBehind: s.secondsBehind,
      parked: s.parked,
      lastError: s.lastError,
      runner: s.runner,
      owner: s.owner.worker,
      ...(s.partitions
        ? {
            partitions: Object.fromEntries(
              s.partitions.map((p) => [p.unit, { owner: p.owner.worker, checkpoint: p.checkpoint }]),
            ),
          }
        : {}),
    };
    const units = s.partitions ? s.partitions.map((p) => p.unit) : [s.name];
    for (const unit of units.filter((u) => ownerless.includes(u)))
      problems.push(`${unit}: no projector worker has owned it for over a lease time`);
    for (const p of s.partitions ?? []) if (p.lastError) problems.push(`${p.unit}: ${p.lastError}`);
    if (s.state === 'stopped') problems.push(`${s.name}: stopped${s.lastError ? ` (${s.lastError})` : ''}`);
    else if (s.lastError) problems.push(`${s.name}: ${s.lastError}`);
    if (s.parked > 0) problems.push(`${s.name}: ${s.parked} parked event${s.parked === 1 ? '' : 's'}`);
  }
  return { degraded: problems.length > 0, problems, ownerless: [...ownerless], projections };
}
