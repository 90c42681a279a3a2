import type { ProjectedEvent, Projection } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import { withMetadata, type GivenEvent } from './given-when-then';

/** An event for a projection spec: a projected one as is, or a domain one (`at(...)`) completed with test metadata. */
export type ProjectionInput = ProjectedEvent | GivenEvent;

/** A document's expected fields, checked with `toMatchObject`. */
export type ExpectedFields<D> = { [K in keyof D]?: unknown };

export interface ProjectionOutcome<D extends Doc> {
  /** Asserts the whole document after the event; returns it. */
  then(expected: D): D;
  /** Asserts some of the document's fields (`toMatchObject`); returns the document. */
  thenMatches(expected: ExpectedFields<D>): D;
  /** Asserts that the event deletes the document (evolve returned null). */
  thenDeleted(): void;
  /** Asserts that the document is as before: the event is not handled, or changes nothing. */
  thenNothing(): void;
}

export interface ProjectionSpec<D extends Doc> {
  given(events?: ProjectionInput[]): {
    /** The event under test; `key` names its document when its keys name several. */
    when(event: ProjectionInput, key?: string): ProjectionOutcome<D>;
  };
}

/**
 * Given/when/then for a projection, as the runner feeds it: `given` events of the same document that
 * the projection handles are folded through `evolve` from no document, then `when` is applied (an
 * unhandled type is never delivered, so it changes nothing). Documents and events are frozen, so an
 * `evolve` that changes its inputs fails. `version` pins the version the expectations were written for:
 * a projection whose output changes gets a new version, and its specs are reviewed with it.
 */
export function givenProjection<D extends Doc>(
  projection: Projection<D>,
  options: { version?: number } = {},
): ProjectionSpec<D> {
  const label = `${projection.name} v${projection.version}`;
  if (options.version !== undefined && options.version !== projection.version)
    throw new Error(`spec written for ${projection.name} v${options.version}, the projection is ${label}: review it`);
  const handles = new Set<string>(projection.handles);
  const keysOf = (event: ProjectedEvent): string[] =>
    projection.keyOf ? [projection.keyOf(event)].flat() : [event.data.customerId];
  return {
    given: (givenEvents = []) => ({
      when: (whenInput, key) => {
        const past = projectedAll([...givenEvents, whenInput]);
        const when = past.pop()!;
        const whenKeys = keysOf(when);
        const docKey = key ?? whenKeys[0]!;
        if (key === undefined && whenKeys.length > 1)
          throw new Error(
            `${label}: ${when.type} names documents ${whenKeys.join(', ')}; pass one as when(event, key)`,
          );
        const evolve = (doc: D | null, event: ProjectedEvent): D | null => {
          const next = projection.evolve(deepFreeze(doc), deepFreeze(event));
          if (next !== null && next.id !== docKey)
            throw new Error(`${label}: evolve returned document id ${String(next.id)} for key ${docKey}`);
          return next;
        };
        const before = past
          .filter((event) => handles.has(event.type) && keysOf(event).includes(docKey))
          .reduce(evolve, null);
        const handled = handles.has(when.type) && whenKeys.includes(docKey);
        const after = (): D | null => (handled ? evolve(before, when) : before);
        const check = <T>(assertion: () => T): T => {
          try {
            return assertion();
          } catch (error) {
            if (error instanceof Error) error.message = `${label}, when ${when.type}:\n${error.message}`;
            throw error;
          }
        };
        const changed = (): D => {
          if (!handled) throw new Error(`${label} is not fed ${when.type} for ${docKey}: expect thenNothing()`);
          const doc = after();
          if (doc === null) throw new Error(`${label}: the document was deleted: expect thenDeleted()`);
          return doc;
        };
        return {
          then: (expected) =>
            check(() => {
              const doc = changed();
              expect(doc).toEqual(expected);
              return doc;
            }),
          thenMatches: (expected) =>
            check(() => {
              const doc = changed();
              expect(doc).toMatchObject(expected);
              return doc;
            }),
          thenDeleted: () => check(() => expect({ handled, doc: after() }).toEqual({ handled: true, doc: null })),
          thenNothing: () => check(() => expect(after()).toEqual(before)),
        };
      },
    }),
  };
}

/** Completes domain events as the runner would deliver them: test metadata, their customer's stream, positions in order. */
function projectedAll(inputs: ProjectionInput[]): ProjectedEvent[] {
  const revisions = new Map<string, number>();
  return inputs.map((input, index) => {
    if ('position' in input) return input;
    const event = withMetadata(input);
    const streamId = `customer-${event.data.customerId}`;
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    return { ...event, streamId, revision, position: index + 1 } as ProjectedEvent;
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}
