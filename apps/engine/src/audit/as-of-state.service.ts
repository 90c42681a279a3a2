import { Inject, Injectable } from '@nestjs/common';
import { customerStreamId, initialState, type CustomerState } from '@rapport/domain';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { KEY_STORE, type KeyStore } from '@rapport/personal-data';
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
 * The personal fields a model reads as plaintext (the texts sentiment scores) are decrypted as each
 * event is decoded, whatever the role: the scores do not depend on who asks.
 */
@Injectable()
export class AsOfStateService {
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
    // A tampered envelope reads [unreadable] rather than hiding the rest of the history; verification reports it.
    const decode = await createCustomerDecoder(this.keys, customerId, 'unreadable', OPENED_AT_DECODE);
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
    let eventsInStream = 0;
    let eventsApplied = 0;
    let lastRevision: number | null = null;
    let lastPosition: number | null = null;
    for await (const stored of this.store.readStream(streamId)) {
      eventsInStream++;
      // Missing or unparsable times count as "unknown": only an unbounded query takes such an event.
      if (asOfMs !== Infinity && !(timeOf(stored.metadata['occurredAt']) <= asOfMs)) continue;
      if (knownAtMs !== Infinity && !(timeOf(stored.metadata['recordedAt']) <= knownAtMs)) continue;
      const event = decode(stored);
      eventsApplied++;
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
    if (eventsInStream === 0) return null;
    const view = await this.revealer.viewFor(role, customerId);
    return {
      customerId,
      asOf: asOf ?? null,
      knownAt: knownAt ?? null,
      eventsApplied,
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
