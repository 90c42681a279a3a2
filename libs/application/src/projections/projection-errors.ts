// What projection hosting refuses; the HTTP edge maps each to its status (problem-mapping.ts), as it
// does the command path's errors.

/** 404: no projection of that name. */
export class UnknownProjectionError extends Error {
  override readonly name = 'UnknownProjectionError';
  constructor(
    readonly projection: string,
    readonly known: readonly string[],
  ) {
    super(`no projection named ${projection}; known: ${known.join(', ')}`);
  }
}

/** 409: the projections run in a separate worker (PROJECTOR_ROLE=none here); operate them there. */
export class ProjectorElsewhereError extends Error {
  override readonly name = 'ProjectorElsewhereError';
  constructor(readonly operation: string) {
    super(
      `${operation} needs the projector: this process runs with PROJECTOR_ROLE=none; call the projector worker (PROJECTOR_ROLE=only)`,
    );
  }
}

/** 409: another projector worker holds the projection's lease (or, for a moment, nobody does); operate it there. */
export class ProjectionOwnedElsewhereError extends Error {
  override readonly name = 'ProjectionOwnedElsewhereError';
  constructor(
    readonly operation: string,
    readonly projection: string,
    /** The worker holding the lease; null: nobody right now. */
    readonly worker: string | null,
  ) {
    super(
      worker
        ? `${operation} of ${projection} needs its owner: projector worker ${worker} runs it (GET /projections shows who owns what); call that worker`
        : `${operation} of ${projection} needs its owner, and no projector worker holds its lease right now; retry once one has taken it over`,
    );
  }
}

/** 503: a projection has no live read model yet, or did not reach a requested position in time. */
export class ReadModelNotReadyError extends Error {
  override readonly name = 'ReadModelNotReadyError';
}
