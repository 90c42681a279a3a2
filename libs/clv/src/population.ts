import { EmptyPopulationError, InvalidClvInputError, requireNonNegative } from './clv-errors';

/** What the BG/NBD model needs of a customer (a CustomerSummary fits). */
export interface FrequencyRecencyAge {
  frequency: number;
  recency: number;
  T: number;
}

/** Checks one customer's summary; `index` names the customer in the error. */
export function validateCustomer(customer: FrequencyRecencyAge, index?: number): void {
  if (!Number.isInteger(customer.frequency) || customer.frequency < 0) {
    throw new InvalidClvInputError('frequency', 'must be an integer >= 0', index);
  }
  requireNonNegative(customer.recency, 'recency', index);
  requireNonNegative(customer.T, 'T', index);
  if (customer.recency > customer.T) throw new InvalidClvInputError('recency', 'must be <= T', index);
  if (customer.frequency === 0 && customer.recency !== 0) {
    throw new InvalidClvInputError('recency', 'must be 0 when frequency is 0', index);
  }
}

/**
 * A population in columns, identical (frequency, recency, T) rows merged into one with a weight:
 * real data measured in whole days collapses to a few distinct rows, which makes the fit much faster.
 */
export interface CompactPopulation {
  frequency: Int32Array;
  recency: Float64Array;
  age: Float64Array;
  weight: Float64Array;
  /** Number of customers (sum of the weights). */
  customers: number;
  maxFrequency: number;
}

export function compactPopulation(customers: readonly FrequencyRecencyAge[], model: string): CompactPopulation {
  if (customers.length === 0) throw new EmptyPopulationError(model);
  const rowOf = new Map<string, number>();
  const frequency: number[] = [];
  const recency: number[] = [];
  const age: number[] = [];
  const weight: number[] = [];
  let maxFrequency = 0;
  customers.forEach((customer, index) => {
    validateCustomer(customer, index);
    const key = `${customer.frequency}|${customer.recency}|${customer.T}`;
    const row = rowOf.get(key);
    if (row !== undefined) {
      weight[row] = (weight[row] as number) + 1;
      return;
    }
    rowOf.set(key, frequency.length);
    frequency.push(customer.frequency);
    recency.push(customer.recency);
    age.push(customer.T);
    weight.push(1);
    maxFrequency = Math.max(maxFrequency, customer.frequency);
  });
  return {
    frequency: Int32Array.from(frequency),
    recency: Float64Array.from(recency),
    age: Float64Array.from(age),
    weight: Float64Array.from(weight),
    customers: customers.length,
    maxFrequency,
  };
}
