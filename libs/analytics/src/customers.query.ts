import type { Filter, Page, ReadStore, SortKey } from '@rapport/read-store';
import { LIFECYCLE_STAGES, VALUE_TIERS } from '@rapport/projections/customer-vocabulary';
import {
  RFM_SEGMENTS,
  SORTABLE_FIELDS,
  type AnalyticsCustomerDoc,
  type SortableField,
} from '@rapport/scoring/analytics-customer';
import { withCollections, type CollectionNames } from '@rapport/scoring/collections';
import { AnalystQueryError } from '@rapport/projection-engine';

/** Numeric fields an analyst may bound with `<field>Min` / `<field>Max`. */
export const RANGE_FIELDS = [
  'netRevenue',
  'orders',
  'averageOrderValue',
  'historicalLifetimeValue',
  'recencyDays',
  'valueTrend',
  'valueTrendRatio',
  'probabilityAlive',
  'predictedClv',
  'promisesOverdue',
] as const;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * The analyst's parameters as they arrive (query strings or JSON): lists as arrays or comma separated,
 * numbers as numbers or strings. `sort` is `field` or `-field` (descending), comma separated.
 */
export type AnalystCustomerParams = Record<string, unknown>;

export interface AnalystCustomerQuery {
  filter: Filter | undefined;
  sort: SortKey[];
  limit: number;
  cursor: string | undefined;
}

const LIST_FIELDS: Record<'stage' | 'tier' | 'segment' | 'region', readonly string[] | null> = {
  stage: LIFECYCLE_STAGES,
  tier: VALUE_TIERS,
  segment: RFM_SEGMENTS,
  region: null,
};
const RANGE_KEYS = new Map<string, { field: string; bound: 'gte' | 'lte' }>(
  RANGE_FIELDS.flatMap((f) => [
    [`${f}Min`, { field: f, bound: 'gte' as const }],
    [`${f}Max`, { field: f, bound: 'lte' as const }],
  ]),
);
const KNOWN_KEYS = new Set([
  'sentimentDrop',
  'sort',
  'limit',
  'cursor',
  ...Object.keys(LIST_FIELDS),
  ...RANGE_KEYS.keys(),
]);

function listOf(field: string, raw: unknown, allowed: readonly string[] | null): string[] {
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
  if (values.length === 0 || values.some((v) => typeof v !== 'string' || v.trim() === ''))
    throw new AnalystQueryError(field, 'must be a non-empty string or list of strings');
  const trimmed = (values as string[]).map((v) => v.trim());
  const unknown = allowed === null ? undefined : trimmed.find((v) => !allowed.includes(v));
  if (unknown !== undefined)
    throw new AnalystQueryError(
      field,
      `unknown value "${unknown}"; allowed: ${(allowed as readonly string[]).join(', ')}`,
    );
  return trimmed;
}

function numberOf(field: string, raw: unknown): number {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new AnalystQueryError(field, `must be a finite number (got ${JSON.stringify(raw)})`);
  return value;
}

function sortOf(raw: unknown): SortKey[] {
  if (raw === undefined) return [{ field: 'netRevenue', direction: 'desc' }];
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new AnalystQueryError('sort', 'must be "field" or "-field", comma separated');
  const keys = raw.split(',').map((part) => part.trim());
  if (keys.length > 3) throw new AnalystQueryError('sort', 'at most 3 sort fields');
  return keys.map((key) => {
    const direction = key.startsWith('-') ? 'desc' : 'asc';
    const field = key.replace(/^[-+]/, '');
    if (!(SORTABLE_FIELDS as readonly string[]).includes(field))
      throw new AnalystQueryError('sort', `cannot sort on "${field}"; allowed: ${SORTABLE_FIELDS.join(', ')}`);
    return { field: field as SortableField, direction };
  });
}

/** Validates the analyst's parameters into a read-store query; throws AnalystQueryError naming the field. */
export function parseCustomerQuery(params: AnalystCustomerParams): AnalystCustomerQuery {
  if (params === null || typeof params !== 'object' || Array.isArray(params))
    throw new AnalystQueryError('query', 'must be an object');
  const unknown = Object.keys(params).find((k) => !KNOWN_KEYS.has(k) && params[k] !== undefined);
  if (unknown !== undefined) throw new AnalystQueryError(unknown, 'unknown parameter');
  const conditions: Filter[] = [];
  for (const [field, allowed] of Object.entries(LIST_FIELDS)) {
    if (params[field] === undefined) continue;
    const values = listOf(field, params[field], allowed);
    conditions.push(values.length === 1 ? { field, eq: values[0] as string } : { field, in: values });
  }
  const ranges = new Map<string, { gte?: number; lte?: number }>();
  for (const [key, { field, bound }] of RANGE_KEYS) {
    if (params[key] === undefined) continue;
    const range = ranges.get(field) ?? {};
    range[bound] = numberOf(key, params[key]);
    ranges.set(field, range);
  }
  for (const [field, range] of ranges) {
    if (range.gte !== undefined && range.lte !== undefined && range.gte > range.lte)
      throw new AnalystQueryError(`${field}Min`, `must be <= ${field}Max`);
    conditions.push({ field, ...range });
  }
  const drop = params.sentimentDrop;
  if (drop !== undefined) {
    if (drop !== true && drop !== false && drop !== 'true' && drop !== 'false')
      throw new AnalystQueryError('sentimentDrop', 'must be true or false');
    conditions.push({ field: 'sentimentDrop', eq: drop === true || drop === 'true' });
  }
  const limit = params.limit === undefined ? DEFAULT_PAGE_SIZE : numberOf('limit', params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new AnalystQueryError('limit', `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  const cursor = params.cursor;
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor === ''))
    throw new AnalystQueryError('cursor', 'must be the nextCursor of a previous page');
  return {
    filter: conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : { and: conditions },
    sort: sortOf(params.sort),
    limit,
    cursor: cursor as string | undefined,
  };
}

/** `GET /analytics/customers`: scored customers, filtered, sorted, one page at a time. */
export async function findCustomers(
  store: ReadStore,
  params: AnalystCustomerParams,
  names?: Partial<CollectionNames>,
): Promise<Page<AnalyticsCustomerDoc>> {
  const query = parseCustomerQuery(params);
  return store.find<AnalyticsCustomerDoc>(withCollections(names).analyticsCustomers, {
    ...(query.filter ? { filter: query.filter } : {}),
    sort: query.sort,
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
}
