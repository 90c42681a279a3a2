import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

/** Namespace of Rapport's derived event ids (a fixed random UUID). */
const EVENT_ID_NAMESPACE = '6f1c2f4e-8a7b-4d0e-9f3a-2b5c7d9e1a40';

/**
 * The id of the `index`-th event of a command: derived from the customer and the Idempotency-Key
 * when there is one (so a retry produces the same ids), otherwise a UUID v7: time-ordered ids land
 * at the end of the store's unique id index instead of on a random page of it, so a commit writes
 * one page fewer per event.
 */
export function eventIdFor(customerId: string, idempotencyKey: string | undefined, index: number): string {
  return idempotencyKey === undefined
    ? uuidv7()
    : uuidv5(`${customerId}\n${idempotencyKey}\n${index}`, EVENT_ID_NAMESPACE);
}
