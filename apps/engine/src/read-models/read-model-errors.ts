import { ConflictException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';

/** 404: no projection of that name. */
export const unknownProjection = (name: string, known: readonly string[]): NotFoundException =>
  new NotFoundException(`no projection named ${name}; known: ${known.join(', ')}`);

/** 409: the projections run in a separate worker (PROJECTOR_ROLE=none here); operate them there. */
export const projectorElsewhere = (what: string): ConflictException =>
  new ConflictException(
    `${what} needs the projector: this process runs with PROJECTOR_ROLE=none; call the projector worker (PROJECTOR_ROLE=only)`,
  );

/** 409: another projector worker holds the projection's lease (or, for a moment, nobody does); operate it there. */
export const ownedElsewhere = (what: string, projection: string, worker: string | null): ConflictException =>
  new ConflictException(
    worker
      ? `${what} of ${projection} needs its owner: projector worker ${worker} runs it (GET /projections shows who owns what); call that worker`
      : `${what} of ${projection} needs its owner, and no projector worker holds its lease right now; retry once one has taken it over`,
  );

/** 503: a projection has no live read model yet, or did not reach a requested position in time. */
export const notReady = (detail: string): ServiceUnavailableException => new ServiceUnavailableException(detail);
