import { createHash } from 'node:crypto';
import { CUSTOMER_COMMAND_TYPES, type Channel, type CustomerCommand, type CustomerCommandType } from '@rapport/domain';
import type { ImportItem } from './import-item';

/** File-name words that name a touchpoint kind (`purchases.csv`, `2024-calls.csv`, `record-purchase.csv`). */
const KIND_ALIASES: Record<string, CustomerCommandType> = {
  customers: 'RegisterCustomer',
  registrations: 'RegisterCustomer',
  purchases: 'RecordPurchase',
  refunds: 'RefundPurchase',
  calls: 'LogCall',
  promises: 'MakePromise',
  complaints: 'FileComplaint',
  surveys: 'RecordSurveyResponse',
};

const NUMBER_COLUMNS = new Set([
  'acquisitionCost',
  'durationSeconds',
  'total',
  'amount',
  'quantity',
  'unitPrice',
  'score',
]);
const BOOLEAN_COLUMNS = new Set(['withinPolicy']);
const DEMOGRAPHIC_COLUMNS = new Set(['ageBand', 'gender', 'incomeBand']);
const LINE_COLUMNS = new Set(['sku', 'category', 'quantity', 'unitPrice']);

/** The touchpoint kind of a CSV file: `--kind` (a command type or alias) or a word of its file name. */
export function csvKindOf(fileName: string, kind?: string): CustomerCommandType {
  const wanted = kind ?? fileName.toLowerCase();
  const byType = CUSTOMER_COMMAND_TYPES.find(
    (t) => t.toLowerCase() === wanted.toLowerCase() || wanted.includes(kebab(t)),
  );
  if (byType) return byType;
  const alias = Object.entries(KIND_ALIASES).find(([word]) => wanted.toLowerCase().includes(word));
  if (alias) return alias[1];
  throw new Error(
    `cannot tell which touchpoint ${fileName} holds: pass --kind with a command type (${CUSTOMER_COMMAND_TYPES.join(', ')}) or one of ${Object.keys(KIND_ALIASES).join(', ')}`,
  );
}

/**
 * CSV with a header row, one touchpoint kind per file. Columns are the command's fields by name;
 * `ageBand`, `gender`, `incomeBand` fill `demographics`; a purchase row is one line (`sku`, `category`,
 * `quantity`, `unitPrice`) and `total` defaults to its amount. `idempotencyKey` and `channel` are
 * optional columns. Fields follow RFC 4180 quoting on one physical line.
 */
export async function* parseCsv(
  lines: AsyncIterable<string> | Iterable<string>,
  kind: CustomerCommandType,
): AsyncGenerator<ImportItem> {
  let lineNumber = 0;
  let header: string[] | undefined;
  for await (const raw of lines) {
    lineNumber++;
    if (raw.trim() === '') continue;
    const cells = splitCsvLine(raw);
    if (cells === null) {
      yield { line: lineNumber, error: 'unterminated quoted field' };
      continue;
    }
    if (!header) {
      header = cells.map((c) => c.trim().replace(/^\uFEFF/, ''));
      if (!header.includes('customerId')) yield { line: lineNumber, error: 'the header must name a customerId column' };
      continue;
    }
    if (cells.length !== header.length) {
      yield { line: lineNumber, error: `expected ${header.length} fields as in the header, found ${cells.length}` };
      continue;
    }
    yield { line: lineNumber, ...csvRow(kind, header, cells) };
  }
}

function csvRow(
  kind: CustomerCommandType,
  header: string[],
  cells: string[],
): { touchpoint: { command: CustomerCommand; idempotencyKey: string; channel?: Channel } } | { error: string } {
  const fields: Record<string, unknown> = { type: kind };
  const demographics: Record<string, string> = {};
  const line: Record<string, unknown> = {};
  let idempotencyKey: string | undefined;
  let channel: string | undefined;
  for (let i = 0; i < header.length; i++) {
    const column = header[i]!;
    const text = cells[i]!.trim();
    if (text === '') continue;
    let value: unknown = text;
    if (NUMBER_COLUMNS.has(column)) {
      value = Number(text);
      if (!Number.isFinite(value)) return { error: `${column} must be a number, found "${text}"` };
    } else if (BOOLEAN_COLUMNS.has(column)) {
      if (!/^(true|false|yes|no|1|0)$/i.test(text))
        return { error: `${column} must be true or false, found "${text}"` };
      value = /^(true|yes|1)$/i.test(text);
    }
    if (column === 'idempotencyKey') idempotencyKey = text;
    else if (column === 'channel') channel = text;
    else if (kind === 'RegisterCustomer' && DEMOGRAPHIC_COLUMNS.has(column)) demographics[column] = text;
    else if (kind === 'RecordPurchase' && LINE_COLUMNS.has(column)) line[column] = value;
    else fields[column] = value;
  }
  if (Object.keys(demographics).length > 0) fields.demographics = demographics;
  if (kind === 'RecordPurchase') {
    fields.lines = [line];
    if (fields.total === undefined && typeof line.quantity === 'number' && typeof line.unitPrice === 'number') {
      fields.total = Math.round(line.quantity * line.unitPrice * 100) / 100;
    }
  }
  if (typeof fields.customerId !== 'string') return { error: 'customerId is required' };
  if (typeof fields.occurredAt !== 'string') return { error: 'occurredAt is required (an ISO-8601 time)' };
  return {
    touchpoint: {
      command: fields as unknown as CustomerCommand,
      idempotencyKey:
        idempotencyKey ??
        `csv-${createHash('sha256')
          .update(JSON.stringify([kind, header, cells]))
          .digest('hex')
          .slice(0, 32)}`,
      ...(channel === undefined ? {} : { channel: channel as Channel }),
    },
  };
}

/** Splits one CSV line (RFC 4180 quotes, `""` escapes); null when a quote is left open. */
export function splitCsvLine(line: string): string[] | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
}

const kebab = (type: string) => type.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
