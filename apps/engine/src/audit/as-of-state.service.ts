import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { customerStreamId, initialState, upcastOccurredAt, type CustomerState, foldIntoOwned } from '@rapport/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@rapport/event-store';
import {
  EnvelopeOpenerThread,
  isEnvelope,
  KEY_STORE,
  valueAt,
  type KeyStore,
  type OpenedValue,
  type SealedValue,
} from '@rapport/personal-data';
import type { ProjectedEvent, Projection } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import type { ApiRole } from '../auth/roles';
import { createCustomerDecoder, type OpenedFields } from '../read-models/projection-decoder';
import { SealedDataRevealer } from '../read-models/sealed-data-revealer';
import { AS_OF_NOT_INCLUDED, AS_OF_READ_MODELS, type AsOfReadModel } from './as-of-read-models';

export interface AsOfState {
  customerId: string;
  /** Business time: events that occurred after it are left out (null: no limit). */
  asOf: string | null;
  /** Recording time: events recorded after it are left out (null: no limit). */
  knownAt: string | null;
  /** Events of the stream taken into account, and the stream's total. */
  eventsApplied: number;
  eventsInStream: number;
  /** Revision and position of the last event applied (null: none). */
  lastRevision: number | null;
  lastPosition: number | null;
  decider: CustomerState;
  readModels: Record<string, Doc | null>;
  notIncluded: string;
}

const timeOf = (value: unknown): number => (typeof value === 'string' ? Date.parse(value) : Number.NaN);

/**
 * The business time an event is dated at once upcast: a stored v1 deadline event says when it was
 * noticed, its upcast says the deadline. An event the domain cannot read keeps its stored time (its
 * decoding reports it, as before).
 */
function businessTimeOf(stored: StoredEvent): number {
  try {
    return timeOf(upcastOccurredAt(stored));
  } catch {
    return timeOf(stored.metadata['occurredAt']);
  }
}

/**
 * Bitemporal replay of one customer: the stream, read once, keeps the events that occurred by
 * `asOf` (their business time once upcast) and were recorded by `knownAt`, in stream order, decodes them as the projection runner does,
 * and folds them through the customer decider and every per-customer projection's `evolve` (or its
 * one-pass fold, proven equal to it, a run of events at a time). The read models keep personal data
 * sealed, as the live ones do; it is revealed per role at the end, as the live queries reveal it.
 * The personal fields a model reads as plaintext (the texts sentiment scores) are opened whatever the
 * role (the scores do not depend on who asks), in bulk on a worker thread while the stream is read.
 */
@Injectable()
export class AsOfStateService implements OnModuleDestroy {
  /** Opens the texts the replay needs in plaintext while the stream is still being read. */
  private readonly opener = new EnvelopeOpenerThread();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(SealedDataRevealer) private readonly revealer: SealedDataRevealer,
  ) {}

  /** Null when the customer has no stream. */
  async stateOf(customerId: string, role: ApiRole, asOf?: string, knownAt?: string): Promise<AsOfState | null> {
    const asOfMs = asOf === undefined ? Infinity : Date.parse(asOf);
    const knownAtMs = knownAt === undefined ? Infinity : Date.parse(knownAt);
    const key = await this.keys.getKey(customerId);
    let folding: ReadRun | null = null;
    // A tampered envelope reads [unreadable] rather than hiding the rest of the history; verification reports it.
    const decode = await createCustomerDecoder(this.keys, customerId, 'unreadable', OPENED_AT_DECODE, (eventId, path) =>
      folding?.take(eventId, path),
    );
    const replay = new Replay(customerId);
    // The stream is read a run at a time; a run's envelopes go to the opener thread as soon as it is
    // read, and the run is decoded and folded once the next one is read: by then they are open.
    const fold = async (run: ReadRun): Promise<void> => {
      await run.ready();
      folding = run;
      for (const stored of run.events) replay.apply(decode(stored), stored);
      replay.foldRun();
    };
    let reading = new ReadRun();
    let waiting: ReadRun | null = null;
    let eventsInStream = 0;
    for await (const stored of this.store.readStream(customerStreamId(customerId))) {
      eventsInStream++;
      // Every event of the stream is weighed (no stop at the first later one): a deadline event sits
      // after events that occurred after its deadline. Missing or unparsable times count as "unknown":
      // only an unbounded query takes such an event.
      if (asOfMs !== Infinity && !(businessTimeOf(stored) <= asOfMs)) continue;
      if (knownAtMs !== Infinity && !(timeOf(stored.metadata['recordedAt']) <= knownAtMs)) continue;
      reading.add(stored);
      if (reading.events.length < RUN_LENGTH) continue;
      reading.open(this.opener, key);
      if (waiting) await fold(waiting);
      waiting = reading;
      reading = new ReadRun();
    }
    if (eventsInStream === 0) return null;
    reading.open(this.opener, key);
    if (waiting) await fold(waiting);
    await fold(reading);
    const view = await this.revealer.viewFor(role, customerId);
    return {
      customerId,
      asOf: asOf ?? null,
      knownAt: knownAt ?? null,
      eventsApplied: replay.applied,
      eventsInStream,
      lastRevision: replay.lastRevision,
      lastPosition: replay.lastPosition,
      decider: replay.decider,
      readModels: Object.fromEntries(
        AS_OF_READ_MODELS.map(({ name, reveal }, index) => {
          const doc = replay.docs[index] ?? null;
          return [name, doc && reveal ? reveal(this.revealer, view, doc) : doc];
        }),
      ),
      notIncluded: AS_OF_NOT_INCLUDED,
    };
  }

  onModuleDestroy(): Promise<void> {
    return this.opener.close();
  }
}

/** Events folded at a time; the stream is read and its texts opened a run ahead. */
const RUN_LENGTH = 1024;

/** A run of the stream as read, and the fields of it read as plaintext, opened on the opener thread. */
class ReadRun {
  readonly events: StoredEvent[] = [];
  private readonly sealed: SealedValue[] = [];
  private opening: Promise<OpenedValue[]> | null = null;
  private opened: OpenedValue[] = [];
  private taken = 0;

  add(stored: StoredEvent): void {
    this.events.push(stored);
    // As stored, before upcasting: a field an upcaster moves is simply opened at decode instead.
    for (const path of OPENED_AT_DECODE.get(stored.type) ?? []) {
      const envelope = valueAt(stored.data, path.split('.'));
      if (isEnvelope(envelope)) this.sealed.push({ eventId: String(stored.metadata['eventId']), path, envelope });
    }
  }

  /** Sends the envelopes (none once the key is destroyed: every field then reads erased). */
  open(opener: EnvelopeOpenerThread, key: Buffer | null): void {
    if (key !== null && this.sealed.length > 0) this.opening = opener.open(this.sealed, key);
  }

  async ready(): Promise<void> {
    if (this.opening) this.opened = await this.opening;
  }

  /** The opened value of the next field decoded, which is the next one sent (undefined: open it at decode). */
  take(eventId: string, path: string): OpenedValue | undefined {
    const next = this.sealed[this.taken];
    if (next?.eventId !== eventId || next.path !== path || this.taken >= this.opened.length) return undefined;
    return this.opened[this.taken++];
  }
}

/**
 * The decider and every per-customer read model, folded as the replay goes. The decider and the
 * models with a one-pass fold take a run at a time (the others evolve event by event), so a long
 * stream's events are not all kept alive.
 */
class Replay {
  decider: CustomerState = initialState();
  readonly docs: Array<Doc | null> = AS_OF_READ_MODELS.map(() => null);
  applied = 0;
  lastRevision: number | null = null;
  lastPosition: number | null = null;
  private run: ProjectedEvent[] = [];
  private pending: ProjectedEvent[][] = AS_OF_READ_MODELS.map(() => []);

  constructor(private readonly customerId: string) {}

  apply(event: ProjectedEvent, stored: StoredEvent): void {
    this.applied++;
    this.run.push(event);
    for (const { index, projection, fold } of MODELS_BY_TYPE.get(event.type) ?? []) {
      if (!isOwnDocument(projection, event, this.customerId)) continue;
      if (fold) this.pending[index]!.push(event);
      else this.docs[index] = projection.evolve(this.docs[index] ?? null, event);
    }
    this.lastRevision = stored.revision;
    this.lastPosition = stored.position;
  }

  foldRun(): void {
    // Into a state only this replay holds, so written in place: equal to folding customerDecider.evolve
    // (the domain's property test holds it to that).
    this.decider = foldIntoOwned(this.decider, this.run);
    this.run = [];
    AS_OF_READ_MODELS.forEach(({ fold }, index) => {
      if (!fold || this.pending[index]!.length === 0) return;
      this.docs[index] = fold(this.docs[index] ?? null, this.pending[index]!);
      this.pending[index] = [];
    });
  }
}

type ModelRef = { index: number } & AsOfReadModel;

/** For each event type, the read models that handle it (with their index in AS_OF_READ_MODELS). */
const MODELS_BY_TYPE: ReadonlyMap<string, readonly ModelRef[]> = (() => {
  const byType = new Map<string, ModelRef[]>();
  AS_OF_READ_MODELS.forEach((model, index) => {
    for (const type of model.projection.handles) byType.set(type, [...(byType.get(type) ?? []), { index, ...model }]);
  });
  return byType;
})();

/** The personal fields some read model reads as plaintext, by event type: decrypted as each event is decoded. */
const OPENED_AT_DECODE: OpenedFields = (() => {
  const byType = new Map<string, string[]>();
  for (const { readsPlaintext } of AS_OF_READ_MODELS) {
    for (const [type, paths] of Object.entries(readsPlaintext ?? {}))
      byType.set(type, [...new Set([...(byType.get(type) ?? []), ...(paths ?? [])])]);
  }
  return byType;
})();

/** A per-customer read model keeps one document per customer: its key must be the customer's id. */
function isOwnDocument(projection: Projection, event: ProjectedEvent, customerId: string): boolean {
  if (!projection.keyOf) return true;
  const keys = projection.keyOf(event);
  return Array.isArray(keys) ? keys.includes(customerId) : keys === customerId;
}
