import type { RecordPurchase, RegisterCustomer } from '@rapport/domain';
import type { ImportItem } from './import-item';

/**
 * The CDNOW transaction files: `customer_id date(YYYYMMDD) number_of_cds dollar_value`
 * (CDNOW_master, header line first) or `customer_id sample_customer_id date number_of_cds dollar_value`
 * (CDNOW_sample, no header). Each customer is registered at the first purchase seen for it, then each
 * line is one purchase whose order id is `cdnow-<customer>-<date>-<n>` (n counts that customer's
 * purchases on that date), so the same file always gives the same commands.
 */
export async function* parseCdnow(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<ImportItem> {
  const registered = new Set<string>();
  const sameDay = new Map<string, number>();
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    const text = raw.trim();
    if (text === '') continue;
    const fields = text.split(/\s+/);
    if (lineNumber === 1 && !/^\d/.test(fields[0] ?? '')) continue; // the header
    const parsed = parseCdnowFields(fields);
    if ('error' in parsed) {
      yield { line: lineNumber, error: parsed.error };
      continue;
    }
    const { customerId, date, quantity, dollars } = parsed;
    const occurredAt = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T00:00:00.000Z`;
    if (!registered.has(customerId)) {
      registered.add(customerId);
      const register: RegisterCustomer = {
        type: 'RegisterCustomer',
        customerId,
        occurredAt,
        name: `CDNOW customer ${customerId}`,
        acquisitionChannel: 'cdnow',
        acquisitionCost: 0,
        region: 'unknown',
        city: 'unknown',
      };
      yield {
        line: lineNumber,
        touchpoint: { command: register, idempotencyKey: `cdnow-register-${customerId}`, channel: 'import' },
      };
    }
    const dayKey = `${customerId}-${date}`;
    const n = (sameDay.get(dayKey) ?? 0) + 1;
    sameDay.set(dayKey, n);
    const orderId = `cdnow-${dayKey}-${n}`;
    const purchase: RecordPurchase = {
      type: 'RecordPurchase',
      customerId,
      occurredAt,
      orderId,
      lines: cdLines(quantity, dollars),
      total: dollars,
      currency: 'USD',
    };
    yield { line: lineNumber, touchpoint: { command: purchase, idempotencyKey: orderId, channel: 'import' } };
  }
}

type CdnowFields = { customerId: string; date: string; quantity: number; dollars: number } | { error: string };

export function parseCdnowFields(fields: string[]): CdnowFields {
  // Master: id date cds dollars; sample: id sample_id date cds dollars.
  if (fields.length !== 4 && fields.length !== 5)
    return {
      error: `expected 4 columns (customer_id date number_of_cds dollar_value) or 5 (sample layout), found ${fields.length}`,
    };
  const [id, date, cds, dollars] = fields.length === 4 ? fields : [fields[0], fields[2], fields[3], fields[4]];
  if (!id || !/^\d+$/.test(id)) return { error: `customer_id must be digits, found "${id}"` };
  if (!date || !/^\d{8}$/.test(date) || !isCalendarDate(date))
    return { error: `date must be a calendar date as YYYYMMDD, found "${date}"` };
  const quantity = Number(cds);
  if (!Number.isInteger(quantity) || quantity < 1)
    return { error: `number_of_cds must be a whole number of at least 1, found "${cds}"` };
  const value = Number(dollars);
  if (dollars === undefined || !Number.isFinite(value) || value < 0)
    return { error: `dollar_value must be a non-negative amount, found "${dollars}"` };
  return { customerId: id, date, quantity, dollars: Math.round(value * 100) / 100 };
}

/** Equal unit prices in whole cents; the rounding remainder goes on the last CD so the lines sum to the total. */
function cdLines(quantity: number, dollars: number): RecordPurchase['lines'] {
  const totalCents = Math.round(dollars * 100);
  const unitCents = Math.floor(totalCents / quantity);
  const lastCents = totalCents - unitCents * (quantity - 1);
  if (unitCents === lastCents) return [{ sku: 'CD', category: 'music', quantity, unitPrice: unitCents / 100 }];
  return [
    ...(quantity > 1 ? [{ sku: 'CD', category: 'music', quantity: quantity - 1, unitPrice: unitCents / 100 }] : []),
    { sku: 'CD', category: 'music', quantity: 1, unitPrice: lastCents / 100 },
  ];
}

function isCalendarDate(yyyymmdd: string): boolean {
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso);
}
