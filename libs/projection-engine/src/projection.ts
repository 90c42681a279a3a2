import type { CustomerEvent, CustomerEventType } from '@rapport/domain';
import type { Doc, IndexSpec } from '@rapport/read-store';

/**
 * A customer event as a projection receives it: upcast and decrypted (so derived values such as
 * sentiment can be computed), with its place in the store. `sealed` holds the stored ciphertext
 * envelope of each personal-data field (by dot path): the only form a read model may keep.
 */
export type ProjectedEvent = CustomerEvent & {
  streamId: string;
  revision: number;
  position: number;
  sealed?: Readonly<Record<string, string>>;
};

/** The stored (encrypted) form of a personal-data field, or null: read models never keep plaintext. */
export const sealedField = (event: ProjectedEvent, path: string): string | null => event.sealed?.[path] ?? null;

/**
 * One read model: a pure fold of events into documents. `evolve` must be deterministic and read
 * no clock; returning null deletes the document.
 */
export interface Projection<D extends Doc = Doc> {
  name: string;
  version: number;
  handles: readonly CustomerEventType[];
  indexes: IndexSpec[];
  /** The document an event belongs to; by default its customer's id. */
  keyOf?: (event: ProjectedEvent) => string | string[];
  /**
   * Every document is fed by the events of one customer only (its keys name that customer). Implied
   * when `keyOf` is absent (the key is the customer's id); lets a rebuild fold customer by customer.
   */
  documentsPerCustomer?: boolean;
  evolve(doc: D | null, event: ProjectedEvent): D | null;
}

export const defaultKeyOf = (event: ProjectedEvent): string => event.data.customerId;
