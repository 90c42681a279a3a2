import type { ReadStore } from '@rapport/read-store';
import type { AnalyticsCustomerDoc } from '@rapport/scoring/analytics-customer';
import { withCollections, type CollectionNames } from '@rapport/scoring/collections';
import { parseCustomerQuery, type AnalystCustomerParams } from './customers.query';

/** Columns of the CSV export, in order (no personal data: the analytics documents hold none). */
export const CSV_COLUMNS = [
  'customerId',
  'region',
  'stage',
  'tier',
  'segment',
  'rfm',
  'rScore',
  'fScore',
  'mScore',
  'orders',
  'netRevenue',
  'averageOrderValue',
  'historicalLifetimeValue',
  'recencyDays',
  'meanInterPurchaseDays',
  'firstPurchaseAt',
  'lastPurchaseAt',
  'revenueLast90',
  'revenuePrev90',
  'valueTrend',
  'valueTrendDirection',
  'probabilityAlive',
  'probabilityAliveLow',
  'probabilityAliveHigh',
  'expectedPurchases90',
  'expectedPurchases90Low',
  'expectedPurchases90High',
  'purchases90Low',
  'purchases90High',
  'predictedClv',
  'predictedClvLow',
  'predictedClvHigh',
  'sentimentDrop',
  'promisesOverdue',
  'stageSince',
  'scoredAt',
] as const satisfies ReadonlyArray<keyof AnalyticsCustomerDoc>;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; formula starts neutralised. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (doc: AnalyticsCustomerDoc): string =>
  CSV_COLUMNS.map((column) => csvField(doc[column])).join(',');

/**
 * The same query as `findCustomers` as CSV lines (header first, each ending in CRLF), every page from
 * the one asked for to the end; `limit` sets the page size read from the store.
 */
export async function* customersCsv(
  store: ReadStore,
  params: AnalystCustomerParams,
  names?: Partial<CollectionNames>,
): AsyncIterable<string> {
  const query = parseCustomerQuery({ ...params, limit: params.limit ?? 500 });
  const collection = withCollections(names).analyticsCustomers;
  const read = (cursor: string | undefined) =>
    store.find<AnalyticsCustomerDoc>(collection, {
      ...(query.filter ? { filter: query.filter } : {}),
      sort: query.sort,
      limit: query.limit,
      ...(cursor ? { cursor } : {}),
    });
  // The first page is read before the header: a refused cursor is then still an HTTP error, not a cut stream.
  let page = await read(query.cursor);
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for (;;) {
    for (const doc of page.items) yield `${csvLine(doc)}\r\n`;
    if (page.nextCursor === null) return;
    page = await read(page.nextCursor);
  }
}
