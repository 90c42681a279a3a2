import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { customerStreamId, initialState, type CustomerState } from '@rapport/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@rapport/event-store';
import { EnvelopeOpenerThread, isEnvelope, KEY_STORE, valueAt, type KeyStore, type OpenedValue, type SealedValue } from '@rapport/personal-data';
import type { ProjectedEvent, Projection } from '@rapport/projection-engine';
import type { Doc } from '@rapport/read-store';
import type { ApiRole } from '../auth/roles';
import { foldIntoOwned } from '../command-handling/customer-domain';
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

/**
 * Events folded at a time by the decider and the models with a one-pass fold: few enough that a long
 * stream's decoded events do not all stay alive (and cost the garbage collector), many enough that
 * each fold's setup is paid rarely.
 */
const RUN_LENGTH = 1024;

const timeOf = (value: unknown): number => (typeof value === 'string' ? Date.parse(value) : Number.NaN);

/**
 * Bitemporal replay of one customer: the stream, read once, keeps the events that occurred by
 * `asOf` and were recorded by `knownAt`, in stream order, decodes them as the projection runner does,
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
    const streamId = customerStreamId(customerId);
    const { kept, eventsInStream, opened } = await this.read(streamId, await this.keys.getKey(customerId), asOfMs, knownAtMs);
    if (eventsInStream === 0) return null;
    // A tampered envelope reads [unreadable] rather than hiding the rest of the history; verification reports it.
    const decode = await createCustomerDecoder(this.keys, customerId, 'unreadable', OPENED_AT_DECODE, (eventId, path) =>
      opened.get(`${eventId}\u0000${path}`),
    );
    const docs: Array<Doc | null> = AS_OF_READ_MODELS.map(() => null);
    // The decider and the models that fold a run at once take the events a run at a time, in stream
    // order (the others evolve as events arrive): a long stream's events are not all kept alive.
    let decider: CustomerState = initialState();
    let run: ProjectedEvent[] = [];
    const pending: ProjectedEvent[][] = AS_OF_READ_MODELS.map(() => []);
    const foldRun = (): void => {
      // Into a state only this replay holds, so written in place: equal to folding customerDecider.evolve
      // (the domain's property test holds it to that).
      decider = foldIntoOwned(run, decider);
      run = [];
      AS_OF_READ_MODELS.forEach(({ fold }, index) => {
        if (!fold || pending[index]!.length === 0) return;
        docs[index] = fold(docs[index] ?? null, pending[index]!);
        pending[index] = [];
      });
    };
    let lastRevision: number | null = null;
    let lastPosition: number | null = null;
    for (const stored of kept) {
      const event = decode(stored);
      run.push(event);
      for (const { index, projection, fold } of MODELS_BY_TYPE.get(event.type) ?? []) {
        if (!isOwnDocument(projection, event, customerId)) continue;
        if (fold) pending[index]!.push(event);
        else docs[index] = projection.evolve(docs[index] ?? null, event);
      }
      lastRevision = stored.revision;
      lastPosition = stored.position;
      if (run.length === RUN_LENGTH) foldRun();
    }
    foldRun();
    const view = await this.revealer.viewFor(role, customerId);
    return {
      customerId,
      asOf: asOf ?? null,
      knownAt: knownAt ?? null,
      eventsApplied: kept.length,
      eventsInStream,
      lastRevision,
      lastPosition,
      decider,
      readModels: Object.fromEntries(
        AS_OF_READ_MODELS.map(({ name, reveal }, index) => {
          const doc = docs[index] ?? null;
          return [name, doc && reveal ? reveal(this.revealer, view, doc) : doc];
        }),
      ),
      notIncluded: AS_OF_NOT_INCLUDED,
    };
  }

  onModuleDestroy(): Promise<void> {
    return this.opener.close();
  }

  /**
   * The stream's events that occurred by `asOf` and were recorded by `knownAt`, in order; meanwhile
   * the envelopes of the fields read as plaintext go to the opener thread a batch at a time, so most
   * are open by the time the last page is read.
   */
  private async read(
    streamId: string,
    key: Buffer | null,
    asOfMs: number,
    knownAtMs: number,
  ): Promise<{ kept: StoredEvent[]; eventsInStream: number; opened: Map<string, OpenedValue> }> {
    const kept: StoredEvent[] = [];
    const batches: Array<{ values: SealedValue[]; opening: Promise<OpenedValue[]> }> = [];
    let batch: SealedValue[] = [];
    const send = () => {
      if (key !== null && batch.length > 0) batches.push({ values: batch, opening: this.opener.open(batch, key) });
      batch = [];
    };
    let eventsInStream = 0;
    for await (const stored of this.store.readStream(streamId)) {
      eventsInStream++;
      // Missing or unparsable times count as "unknown": only an unbounded query takes such an event.
      if (asOfMs !== Infinity && !(timeOf(stored.metadata['occurredAt']) <= asOfMs)) continue;
      if (knownAtMs !== Infinity && !(timeOf(stored.metadata['recordedAt']) <= knownAtMs)) continue;
      kept.push(stored);
      // As stored, before upcasting: a field an upcaster moves is simply opened at decode instead.
      for (const path of OPENED_AT_DECODE.get(stored.type) ?? []) {
        const envelope = valueAt(stored.data, path.split('.'));
        if (isEnvelope(envelope)) batch.push({ eventId: String(stored.metadata['eventId']), path, envelope });
      }
      if (batch.length >= OPEN_BATCH) send();
    }
    send();
    const opened = new Map<string, OpenedValue>();
    for (const { values, opening } of batches) {
      const results = await opening;
      values.forEach(({ eventId, path }, i) => opened.set(`${eventId}\u0000${path}`, results[i]!));
    }
    return { kept, eventsInStream, opened };
  }
}

/** Envelopes sent to the opener thread at a time: enough to amortise a message, few enough to overlap the read. */
const OPEN_BATCH = 500;

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
    for (const [type, paths] of Object.entries(readsPlaintext ?? {})) byType.set(type, [...new Set([...(byType.get(type) ?? []), ...(paths ?? [])])]);
  }
  return byType;
})();

/** A per-customer read model keeps one document per customer: its key must be the customer's id. */
function isOwnDocument(projection: Projection, event: ProjectedEvent, customerId: string): boolean {
  if (!projection.keyOf) return true;
  const keys = projection.keyOf(event);
  return Array.isArray(keys) ? keys.includes(customerId) : keys === customerId;
}
