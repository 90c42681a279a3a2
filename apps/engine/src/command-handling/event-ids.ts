import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

/** Namespace of Rapport's derived event ids (a fixed random UUID). */
const EVENT_ID_NAMESPACE = '6f1c2f4e-8a7b-4d0e-9f3a-2b5c7d9e1a40';

/**
 * The id of the `index`-th event of a command: derived from the customer and the Idempotency-Key
 * when there is one (so a retry produces the same ids), random otherwise.
 */
export function eventIdFor(customerId: string, idempotencyKey: string | undefined, index: number): string {
  return idempotencyKey === undefined ? randomUUID() : uuidv5(`${customerId}\n${idempotencyKey}\n${index}`, EVENT_ID_NAMESPACE);
}
