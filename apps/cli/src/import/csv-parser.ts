import { createHash } from 'node:crypto';
import { parse } from 'csv-parse';
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
 * optional columns. RFC 4180, parsed by csv-parse: quoted fields may hold commas, quotes (`""`) and line
 * breaks (notes and addresses of real CRM exports); a row is numbered by the line it starts on.
 * `chunks` is the file's text in pieces of any size (a read stream, or strings in tests).
 */
export async function* parseCsv(
  chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
  kind: CustomerCommandType,
): AsyncGenerator<ImportItem> {
  const parser = parse({
    bom: true,
    info: true,
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true, // reported per row below, with the row's line
    relax_quotes: true, // a quote inside an unquoted field is text
    skip_empty_lines: true,
  });
  let failure: (Error & { lines?: number }) | null = null;
  parser.on('error', (error: Error) => (failure = error));
  let header: string[] | undefined;
  const rows = function* (): Generator<ImportItem> {
    let row: { record: string[]; info: { lines: number } } | null;
    while ((row = parser.read() as typeof row) !== null) {
      const { record: cells, info } = row;
      // info.lines is the line the record ends on; a quoted line break moves its start up.
      const line = info.lines - cells.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
      if (!header) {
        header = cells.map((c) => c.trim());
        if (!header.includes('customerId')) yield { line, error: 'the header must name a customerId column' };
      } else if (cells.length !== header.length) {
        yield { line, error: `expected ${header.length} fields as in the header, found ${cells.length}` };
      } else {
        yield { line, ...csvRow(kind, header, cells) };
      }
    }
  };
  for await (const chunk of chunks) {
    parser.write(chunk);
    yield* rows();
    if (failure) break;
  }
  if (!failure) parser.end();
  await new Promise<void>((resolve) => setImmediate(resolve));
  yield* rows();
  const error = failure as (Error & { code?: string; lines?: number }) | null;
  if (error) {
    const reason = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'unterminated quoted field' : error.message;
    yield { line: error.lines ?? 0, error: `${reason}; the rest of the file is not read` };
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

const kebab = (type: string) => type.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
