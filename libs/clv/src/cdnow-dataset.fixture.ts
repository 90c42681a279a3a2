// Test-only loader for the CDNOW files; CI has ../shared beside the checkout.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CustomerPurchase, CustomerSummary } from './rfm-summary';

export const CDNOW_DIR = resolve(__dirname, '../../../..', 'shared/datasets/cdnow');

function csvRows(file: string): number[][] {
  return readFileSync(resolve(CDNOW_DIR, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map(Number));
}

/** `cdnow_customers_summary.csv`: ID, frequency, recency, T in weeks. */
export function cdnowSummary(): Array<{ id: string } & Omit<CustomerSummary, 'monetaryValue'>> {
  return csvRows('cdnow_customers_summary.csv').map(([id, frequency, recency, T]) => ({
    id: String(id),
    frequency: frequency as number,
    recency: recency as number,
    T: T as number,
  }));
}

/** `cdnow_customers_summary_with_transactions.csv`: ID, x, t_x, T, zbar. */
export function cdnowSummaryWithMonetary(): Array<{ id: string } & CustomerSummary> {
  return csvRows('cdnow_customers_summary_with_transactions.csv').map(([id, frequency, recency, T, monetaryValue]) => ({
    id: String(id),
    frequency: frequency as number,
    recency: recency as number,
    T: T as number,
    monetaryValue: monetaryValue as number,
  }));
}

/** `CDNOW_sample.txt`: `customer_id sample_customer_id YYYYMMDD number_of_cds dollar_value`, keyed by the sample id. */
export function cdnowSampleTransactions(): CustomerPurchase[] {
  return readFileSync(resolve(CDNOW_DIR, 'CDNOW_sample.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [, sampleId, date, , amount] = line.trim().split(/\s+/) as [string, string, string, string, string];
      const at = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))));
      return { customerId: String(Number(sampleId)), at, amount: Number(amount) };
    });
}
