import type { ReadModelSource } from '@rapport/projection-engine';
import { valueFactsOf, type CustomerValueFacts } from '@rapport/projections/customer-value/customer-value.query';
import type { AnalyticsCustomerDoc } from '@rapport/scoring/analytics-customer';

/** What `GET /customers/{id}/value` returns: the event-derived facts and the latest population scores. */
export interface CustomerValueView extends CustomerValueFacts {
  /** Null until the scoring job has run over this customer. */
  scores: Omit<AnalyticsCustomerDoc, 'id'> | null;
}

/**
 * One customer's value facts (the customer-value read model at `source`) with the scores of the scoring
 * run whose customers `scoredIn` holds. Null when the read model has not seen the customer.
 */
export async function customerValueOf(
  source: ReadModelSource,
  { customerId, scoredIn }: { customerId: string; scoredIn: string },
): Promise<CustomerValueView | null> {
  const [facts, scored] = await Promise.all([
    valueFactsOf(source, { customerId }),
    source.store.get<AnalyticsCustomerDoc>(scoredIn, customerId),
  ]);
  if (facts === null) return null;
  if (scored === null) return { ...facts, scores: null };
  const { id: _id, ...scores } = scored;
  return { ...facts, scores };
}
