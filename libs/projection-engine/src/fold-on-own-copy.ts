import type { ProjectedEvent } from './projection';

/** How a projection whose `evolve` copies its document and changes the copy is folded in one pass. */
export interface OwnCopyFold<D> {
  /** Event types that change the document; others leave it as it is (an empty one when there is none). */
  handles: ReadonlySet<string>;
  empty(customerId: string): D;
  /** A copy the fold may change in place, down to every part `apply` writes into. */
  ownCopy(doc: D): D;
  apply(own: D, event: ProjectedEvent): void;
}

/**
 * Equal to folding `evolve` over the events (each fold's property test holds it to that), but the
 * document is copied once, at the first event that changes it, and then changed in place: for replays
 * of one customer's stream, such as the audit's as-of state.
 */
export function foldOnOwnCopy<D>(doc: D | null, events: Iterable<ProjectedEvent>, fold: OwnCopyFold<D>): D | null {
  let current = doc;
  let own: D | null = null;
  for (const event of events) {
    if (!fold.handles.has(event.type)) {
      current ??= fold.empty(event.data.customerId);
      continue;
    }
    if (!own) current = own = fold.ownCopy(current ?? fold.empty(event.data.customerId));
    fold.apply(own, event);
  }
  return current;
}
