import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  customerStreamId,
  foldIntoOwned,
  initialState,
  upcastOccurredAt,
  type CustomerState,
  type Role,
} from '@rapport/domain';
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
import type { ProjectedEvent, ReadModelReplay, SealedFieldOpener } from '@rapport/projection-engine';
import { AS_OF_READ_MODELS } from '@rapport/projections/read-models';
import type { Doc } from '@rapport/read-store';
import { createCustomerDecoder, type OpenedFields } from '../projections/projection-decoder';
import { SealedDataRevealer } from '../personal-data/sealed-data-revealer';

/** Said in every as-of answer: what an as-of state does not contain, and why. */
export const AS_OF_NOT_INCLUDED =
  'Scores that depend on the whole population or on the clock (RFM quintiles, 80/20 value tier, predicted lifetime value, lifecycle stage, overdue status, complaint SLA deadlines) are computed by the scoring job over all customers at a given time and are not part of an as-of state; the read models here hold the event-derived facts they are computed from.';

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
  async stateOf(customerId: string, role: Role, asOf?: string, knownAt?: string): Promise<AsOfState | null> {
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
    const sealed = this.revealer.openerFor(view);
    return {
      customerId,
      asOf: asOf ?? null,
      knownAt: knownAt ?? null,
      eventsApplied: replay.applied,
      eventsInStream,
      lastRevision: replay.lastRevision,
      lastPosition: replay.lastPosition,
      decider: replay.decider,
      readModels: replay.readModels(sealed),
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
  applied = 0;
  lastRevision: number | null = null;
  lastPosition: number | null = null;
  private run: ProjectedEvent[] = [];
  private readonly models: ReadonlyArray<readonly [(typeof AS_OF_READ_MODELS)[number], ReadModelReplay]>;

  constructor(customerId: string) {
    this.models = AS_OF_READ_MODELS.map((model) => [model, model.replay(customerId)] as const);
  }

  apply(event: ProjectedEvent, stored: StoredEvent): void {
    this.applied++;
    this.run.push(event);
    for (const index of MODELS_BY_TYPE.get(event.type) ?? []) this.models[index]![1].apply(event);
    this.lastRevision = stored.revision;
    this.lastPosition = stored.position;
  }

  foldRun(): void {
    // Into a state only this replay holds, so written in place: equal to folding customerDecider.evolve
    // (the domain's property test holds it to that).
    this.decider = foldIntoOwned(this.decider, this.run);
    this.run = [];
    for (const [, replay] of this.models) replay.flush();
  }

  /** Each model's document by its as-of name, as the reader `sealed` opens for sees it. */
  readModels(sealed: SealedFieldOpener): Record<string, Doc | null> {
    return Object.fromEntries(this.models.map(([model, replay]) => [model.asOf.name, replay.revealed(sealed)]));
  }
}

/** For each event type, the index in AS_OF_READ_MODELS of the read models that handle it. */
const MODELS_BY_TYPE: ReadonlyMap<string, readonly number[]> = (() => {
  const byType = new Map<string, number[]>();
  AS_OF_READ_MODELS.forEach((model, index) => {
    for (const type of model.projection.handles) byType.set(type, [...(byType.get(type) ?? []), index]);
  });
  return byType;
})();

/** The personal fields some read model reads as plaintext, by event type: decrypted as each event is decoded. */
const OPENED_AT_DECODE: OpenedFields = (() => {
  const byType = new Map<string, string[]>();
  for (const { asOf } of AS_OF_READ_MODELS) {
    for (const [type, paths] of Object.entries(asOf.readsPlaintext ?? {}))
      byType.set(type, [...new Set([...(byType.get(type) ?? []), ...(paths ?? [])])]);
  }
  return byType;
})();
