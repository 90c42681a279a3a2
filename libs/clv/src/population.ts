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

const KEY_LIMIT = 1 << 20;

/**
 * A Map key for a validated (frequency, recency, T) row: one exact number below 2^53 when recency and T
 * are integers below 2^20 and frequency below 2^13 (whole days: always), a string otherwise. Numbers hash
 * far faster than strings at 100,000s of customers.
 */
export function rowKey(frequency: number, recency: number, T: number): number | string {
  if (
    frequency < 8192 &&
    Number.isInteger(recency) &&
    Number.isInteger(T) &&
    recency >= 0 &&
    recency < KEY_LIMIT &&
    T < KEY_LIMIT
  )
    return (T * KEY_LIMIT + recency) * 8192 + frequency;
  return `${frequency}|${recency}|${T}`;
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
  /** The distinct values among recency and T, and each row's index into them: ln(α + t) once per value. */
  levels: Float64Array;
  ageLevel: Int32Array;
  recencyLevel: Int32Array;
}

export function compactPopulation(customers: readonly FrequencyRecencyAge[], model: string): CompactPopulation {
  if (customers.length === 0) throw new EmptyPopulationError(model);
  const rowOf = new Map<number | string, number>();
  const frequency: number[] = [];
  const recency: number[] = [];
  const age: number[] = [];
  const weight: number[] = [];
  let maxFrequency = 0;
  customers.forEach((customer, index) => {
    validateCustomer(customer, index);
    const key = rowKey(customer.frequency, customer.recency, customer.T);
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
  const levelOf = new Map<number, number>();
  const levels: number[] = [];
  const level = (value: number): number => {
    let index = levelOf.get(value);
    if (index === undefined) {
      index = levels.push(value) - 1;
      levelOf.set(value, index);
    }
    return index;
  };
  return {
    frequency: Int32Array.from(frequency),
    recency: Float64Array.from(recency),
    age: Float64Array.from(age),
    weight: Float64Array.from(weight),
    customers: customers.length,
    maxFrequency,
    ageLevel: Int32Array.from(age, level),
    recencyLevel: Int32Array.from(recency, level),
    levels: Float64Array.from(levels),
  };
}
