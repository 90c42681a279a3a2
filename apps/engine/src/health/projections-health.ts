import type { ProjectionStatusView } from '../read-models/projections.service';

export interface ProjectionsHealth {
  /** True when a projection is stopped, has parked events or reports an error: reads may be stale or incomplete. */
  degraded: boolean;
  /** One line per reason, naming the projection. */
  problems: string[];
  projections: Record<
    string,
    Pick<
      ProjectionStatusView,
      'state' | 'checkpoint' | 'eventsBehind' | 'secondsBehind' | 'parked' | 'lastError' | 'runner'
    >
  >;
}

/** Judges the projection runner from its status; lag alone is not a problem (catching up is normal). */
export function projectionsHealth(statuses: readonly ProjectionStatusView[]): ProjectionsHealth {
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
    };
    if (s.state === 'stopped') problems.push(`${s.name}: stopped${s.lastError ? ` (${s.lastError})` : ''}`);
    else if (s.lastError) problems.push(`${s.name}: ${s.lastError}`);
    if (s.parked > 0) problems.push(`${s.name}: ${s.parked} parked event${s.parked === 1 ? '' : 's'}`);
  }
  return { degraded: problems.length > 0, problems, projections };
}
