import type { CustomerEventType } from '@rapport/domain';
import type { Doc, ReadStore } from '@rapport/read-store';
import type { ProjectedEvent, Projection } from './projection';

/** Opens the sealed personal-data fields inside a value for one reader (plaintext, erased or redacted). */
export interface SealedFieldOpener {
  /** The value with each sealed field inside it opened; anything else is returned as it is. */
  open<T>(value: T): T;
}

/** Where a read model's query reads: the read store and the model's live collection, resolved per call. */
export interface ReadModelSource {
  store: ReadStore;
  collection: string;
}

/** The one calling convention of every read-model query: where it reads, then its parameters. */
export type ReadModelQuery<P, R> = (source: ReadModelSource, params: P) => Promise<R>;

/** A read model's named queries (a query taking `never` is the widest: any parameters fit). */
export type ReadModelQueries = Readonly<Record<string, ReadModelQuery<never, unknown>>>;

/** The personal fields an `evolve` reads as plaintext, by event type. */
export type PlaintextFields = Readonly<Partial<Record<CustomerEventType, readonly string[]>>>;

/** How a per-customer read model shows in an as-of state (`GET /audit/customers/{id}/state`). */
export interface AsOfEntry {
  /** The name it answers under. */
  name: string;
  /**
   * The personal fields its `evolve` reads as plaintext: the replay opens them as it decodes. Only a
   * matter of speed: any other field is still opened when first read.
   */
  readsPlaintext?: PlaintextFields;
}

/** What a read-model folder declares; `defineReadModel` turns it into a `ReadModel`. */
export interface ReadModelDefinition<D extends Doc, Q extends ReadModelQueries> {
  projection: Projection<D>;
  /** A one-pass fold of a run of one document's events, equal to folding `evolve` (its spec holds it to that). */
  fastFold?: (doc: D | null, events: readonly ProjectedEvent[]) => D | null;
  /** The document as a reader sees it; without it the document keeps no personal data and is shown as it is. */
  reveal?: (doc: D, sealed: SealedFieldOpener) => D;
  /** Present when the as-of replay folds it: one document per customer, keyed by the customer's id. */
  asOf?: AsOfEntry;
  query: Q;
}

/** One customer's document folded from nothing, its document type kept inside: what the as-of replay holds. */
export interface ReadModelReplay {
  /** Takes one of the customer's events the projection handles (a model with a fast fold keeps it for `flush`). */
  apply(event: ProjectedEvent): void;
  /** Folds the events kept since the last flush. */
  flush(): void;
  /** The document as folded, personal fields sealed (null: nothing folded into one). */
  document(): Doc | null;
  /** The document as a reader sees it. */
  revealed(sealed: SealedFieldOpener): Doc | null;
}

/**
 * A read model of any document type, so models of different types sit in one list: what needs the
 * document type (its fast fold, its reveal rules) is reached through `replay`, which keeps it inside.
 */
export interface ReadModel<Q extends ReadModelQueries = ReadModelQueries> {
  /** The projection's name: its checkpoint, its status and the base of its collection's name. */
  readonly name: string;
  readonly projection: Projection;
  readonly asOf: AsOfEntry | null;
  readonly query: Q;
  replay(customerId: string): ReadModelReplay;
}

/** A per-customer document's key must be the customer's id; a projection without `keyOf` keys so. */
function isOwnDocument(projection: Projection, event: ProjectedEvent, customerId: string): boolean {
  if (!projection.keyOf) return true;
  const keys = projection.keyOf(event);
  return Array.isArray(keys) ? keys.includes(customerId) : keys === customerId;
}

function replayOf<D extends Doc, Q extends ReadModelQueries>(
  definition: ReadModelDefinition<D, Q>,
  customerId: string,
): ReadModelReplay {
  const { projection, fastFold, reveal } = definition;
  let doc: D | null = null;
  let pending: ProjectedEvent[] = [];
  return {
    apply(event) {
      if (!isOwnDocument(projection, event, customerId)) return;
      if (fastFold) pending.push(event);
      else doc = projection.evolve(doc, event);
    },
    flush() {
      if (!fastFold || pending.length === 0) return;
      doc = fastFold(doc, pending);
      pending = [];
    },
    document: () => doc,
    revealed(sealed) {
      return doc && reveal ? reveal(doc, sealed) : doc;
    },
  };
}

/** One read model from its folder's parts, typed by its document so the parts must agree. */
export function defineReadModel<D extends Doc, Q extends ReadModelQueries>(
  definition: ReadModelDefinition<D, Q>,
): ReadModel<Q> {
  return {
    name: definition.projection.name,
    projection: definition.projection,
    asOf: definition.asOf ?? null,
    query: definition.query,
    replay: (customerId) => replayOf(definition, customerId),
  };
}
