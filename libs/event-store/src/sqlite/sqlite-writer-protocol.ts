// What the event loop and the writer thread (sqlite-writer.thread.ts) send each other.
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../errors';
import type { AppendResult, EventToAppend, ExpectedRevision } from '../event-store.port';
import type { AppendOutcome, QueuedAppend, WriterSettings } from './sqlite-append-transaction';

export interface WriterPlan extends WriterSettings {
  path: string;
}

/**
 * One hand-over from the event loop: the appends queued during one turn of it, as one JSON text of
 * `[streamId, expected, events]` entries. Serialised on the event loop, so the thread hashes and
 * stores what `JSON.stringify` made of the caller's values (structured cloning would keep a Date a
 * Date and drop a class's `toJSON`); one string is also the cheapest thing to post.
 */
export interface WriteRequest {
  id: number;
  json: string;
}

type WireAppend = [streamId: string, expected: ExpectedRevision, events: EventToAppend[]];

/** The request's JSON; throws when a value cannot be JSON (a BigInt, a cycle). */
export const toWireJson = (appends: readonly QueuedAppend[]): string =>
  JSON.stringify(appends.map((a): WireAppend => [a.streamId, a.expected, a.events]));

export const fromWireJson = (json: string): QueuedAppend[] =>
  (JSON.parse(json) as WireAppend[]).map(([streamId, expected, events]) => ({ streamId, expected, events }));

export type WireError =
  | { kind: 'wrong-revision'; streamId: string; expected: ExpectedRevision; actual: number | null }
  | { kind: 'duplicate-id'; streamId: string; eventId: string }
  | { kind: 'other'; name: string; message: string; code?: string };

export type WireOutcome = { ok: true; result: AppendResult } | { ok: false; error: WireError };

/**
 * The answer to the requests one transaction committed (their appends in order), sent after
 * COMMIT returned; `failure` when the transaction as a whole failed and nothing of it holds.
 */
export interface WriteReply {
  ids: number[];
  outcomes?: WireOutcome[];
  failure?: WireError;
  /** BEGIN to COMMIT, seconds. */
  seconds: number;
}

export function toWireError(error: unknown): WireError {
  if (error instanceof WrongExpectedRevisionError)
    return {
      kind: 'wrong-revision',
      streamId: error.streamId,
      expected: error.expectedRevision,
      actual: error.actualRevision,
    };
  if (error instanceof DuplicateEventIdError)
    return { kind: 'duplicate-id', streamId: error.streamId, eventId: error.eventId };
  if (!(error instanceof Error)) return { kind: 'other', name: 'Error', message: String(error) };
  const { code } = error as Error & { code?: unknown };
  return { kind: 'other', name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

/** The error as the adapter on the event loop would have thrown it (class, fields, SQLite code). */
export function fromWireError(wire: WireError): Error {
  switch (wire.kind) {
    case 'wrong-revision':
      return new WrongExpectedRevisionError(wire.streamId, wire.expected, wire.actual);
    case 'duplicate-id':
      return new DuplicateEventIdError(wire.streamId, wire.eventId);
    case 'other': {
      const error = new Error(wire.message) as Error & { code?: string };
      error.name = wire.name;
      if (wire.code !== undefined) error.code = wire.code;
      return error;
    }
  }
}

export const toWireOutcome = (outcome: AppendOutcome): WireOutcome =>
  outcome.ok ? outcome : { ok: false, error: toWireError(outcome.error) };
