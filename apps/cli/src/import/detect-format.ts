import type { ImportFormat } from './import-item';

/** The format of an import file: by extension first, then by the look of its first non-empty line. */
export function detectFormat(fileName: string, firstLine: string): ImportFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.csv')) return 'csv';
  const text = firstLine.trim();
  if (text.startsWith('{')) return 'ndjson';
  if (
    /^customer_id\s+date\s+number_of_cds\s+dollar_value$/i.test(text) ||
    /^\d+(\s+\d+)?\s+\d{8}\s+\d+\s+[\d.]+$/.test(text)
  )
    return 'cdnow';
  if (text.includes(',')) return 'csv';
  throw new Error(`cannot tell the format of ${fileName}: pass --format ndjson, csv or cdnow`);
}
