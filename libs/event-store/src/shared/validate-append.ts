import { InvalidAppendError } from '../errors';
import type { AppendOptions, EventToAppend, ExpectedRevision } from '../event-store.port';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Rejects malformed appends before anything touches storage; returns the expected revision to apply. */
export function validateAppend(streamId: string, events: EventToAppend[], options?: AppendOptions): ExpectedRevision {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new InvalidAppendError('streamId', 'must be a non-empty string');
  }
  if (streamId.startsWith('$')) throw new InvalidAppendError('streamId', 'must not start with $ (reserved)');
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppendError('events', 'must be a non-empty array');
  }
  const seen = new Set<string>();
  events.forEach((event, i) => {
    if (!isPlainObject(event)) throw new InvalidAppendError(`events[${i}]`, 'must be an object');
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new InvalidAppendError(`events[${i}].type`, 'must be a non-empty string');
    }
    if (!isPlainObject(event.data)) throw new InvalidAppendError(`events[${i}].data`, 'must be an object');
    if (!isPlainObject(event.metadata)) throw new InvalidAppendError(`events[${i}].metadata`, 'must be an object');
    const id = event.metadata.eventId;
    if (typeof id !== 'string' || id.length === 0) {
      throw new InvalidAppendError(`events[${i}].metadata.eventId`, 'must be a non-empty string');
    }
    if (seen.has(id)) throw new InvalidAppendError(`events[${i}].metadata.eventId`, 'must be unique within the batch');
    seen.add(id);
  });
  const expected = options?.expectedRevision ?? 'any';
  if (typeof expected === 'number') {
    if (!Number.isSafeInteger(expected) || expected < 0) {
      throw new InvalidAppendError(
        'expectedRevision',
        'must be a non-negative integer, any, no_stream or stream_exists',
      );
    }
  } else if (!['any', 'no_stream', 'stream_exists'].includes(expected)) {
    throw new InvalidAppendError('expectedRevision', 'must be a non-negative integer, any, no_stream or stream_exists');
  }
  return expected;
}

/** True when a stream at `actual` (null: missing) satisfies `expected`. */
export function revisionMatches(expected: ExpectedRevision, actual: number | null): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === null;
    case 'stream_exists':
      return actual !== null;
    default:
      return actual === expected;
  }
}

/** Where an exact replay must start for `expected` (null: anywhere). */
export function replayStart(expected: ExpectedRevision): number | null {
  if (expected === 'no_stream') return 0;
  if (typeof expected === 'number') return expected + 1;
  return null;
}
