import { ConflictException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import {
  ProjectionOwnedElsewhereError,
  ProjectorElsewhereError,
  ReadModelNotReadyError,
  UnknownProjectionError,
} from '@rapport/application';
import { toProblem } from './problem-mapping';

// Projection hosting throws the application's errors since it left the engine; its HTTP answers are
// the ones it gave when it threw Nest's HTTP exceptions.
describe('problem mapping of the projection hosting refusals', () => {
  it('given an unknown projection, then 404 not-found naming the known ones', () => {
    const error = new UnknownProjectionError('nope', ['customer-profile', 'customer-value']);
    expect(toProblem(error)).toEqual(toProblem(new NotFoundException(error.message)));
    expect(toProblem(error)).toMatchObject({
      status: 404,
      type: 'https://rapport.dev/problems/not-found',
      detail: 'no projection named nope; known: customer-profile, customer-value',
    });
  });

  it('given a process that runs no projector, then 409 saying to call the projector worker', () => {
    const error = new ProjectorElsewhereError('a rebuild');
    expect(toProblem(error)).toEqual(toProblem(new ConflictException(error.message)));
    expect(toProblem(error)).toMatchObject({ status: 409, title: 'Conflict' });
    expect(toProblem(error).detail).toMatch(/^a rebuild needs the projector: .*PROJECTOR_ROLE=only/);
  });

  it('given a projection another worker owns, then 409 naming that worker (or that nobody holds it)', () => {
    const owned = new ProjectionOwnedElsewhereError('a rebuild', 'customer-value', 'worker-2');
    expect(toProblem(owned)).toEqual(toProblem(new ConflictException(owned.message)));
    expect(toProblem(owned).detail).toContain('projector worker worker-2 runs it');
    const ownerless = new ProjectionOwnedElsewhereError('replaying parked events', 'customer-value', null);
    expect(toProblem(ownerless)).toEqual(toProblem(new ConflictException(ownerless.message)));
    expect(toProblem(ownerless).detail).toContain('no projector worker holds its lease right now');
  });

  it('given a read model not built yet or behind a requested position, then 503 with the reason', () => {
    const error = new ReadModelNotReadyError('projection customer-value has no live read model yet');
    expect(toProblem(error)).toEqual(toProblem(new ServiceUnavailableException(error.message)));
    expect(toProblem(error)).toMatchObject({
      status: 503,
      title: 'Service Unavailable',
      detail: 'projection customer-value has no live read model yet',
    });
  });
});
