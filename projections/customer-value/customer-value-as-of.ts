import { isoMs } from './iso-time';
import {
  applyFact,
  emptyCustomerValue,
  ownCopyOf,
  type CustomerValueDoc,
  type ValueFact,
} from './customer-value.projection';

/** A moment in business time and, optionally, the recording time up to which facts were known. */
export interface AsOf {
  /** Business time: facts that occurred after it are left out. */
  asOfMs: number;
  /** Recording time: facts recorded after it are left out (no limit when absent). */
  knownAtMs?: number;
}

/** Parses an as-of pair of ISO-8601 times. */
export const asOfTimes = (asOf: string, knownAt?: string): AsOf =>
  knownAt === undefined ? { asOfMs: Date.parse(asOf) } : { asOfMs: Date.parse(asOf), knownAtMs: Date.parse(knownAt) };

/**
 * The customer-value document as it was at `asOf` (and as known at `knownAt`): the same fold over the
 * facts that had occurred (and been recorded) by then, in stream order, so it equals the document a
 * store holding only those events would have built. Null when no fact of the customer had occurred yet.
 * The document itself is returned when every fact qualifies.
 */
export function customerValueAsOf(doc: CustomerValueDoc, at: AsOf): CustomerValueDoc | null {
  const { asOfMs, knownAtMs } = at;
  const qualifies = (fact: ValueFact): boolean => {
    const occurredMs = isoMs(fact[1]);
    if (!(occurredMs <= asOfMs)) return false;
    if (knownAtMs === undefined) return true;
    // Most facts were recorded as they occurred: the same time, parsed once.
    return (fact[2] === fact[1] ? occurredMs : isoMs(fact[2])) <= knownAtMs;
  };
  // A run as of now finds most documents whole: seen before folding anything.
  if (doc.facts.length > 0 && doc.facts.every(qualifies)) return doc;
  let kept: CustomerValueDoc | null = null;
  for (const fact of doc.facts) {
    if (!qualifies(fact)) continue;
    kept ??= ownCopyOf(emptyCustomerValue(doc.customerId));
    applyFact(kept, fact, true);
  }
  return kept;
}
