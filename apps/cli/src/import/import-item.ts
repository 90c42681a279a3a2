import type { Channel, CustomerCommand } from '@rapport/domain';

/** One command read from an import file, with the envelope it is recorded under. */
export interface Touchpoint {
  command: CustomerCommand;
  /** Event ids derive from it: importing the same line twice stores nothing twice. */
  idempotencyKey: string;
  channel?: Channel;
}

/** What a parser yields per line: a command to record, or why the line was refused. */
export type ImportItem = { line: number; touchpoint: Touchpoint } | { line: number; error: string };

export type ImportFormat = 'ndjson' | 'csv' | 'cdnow';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['ndjson', 'csv', 'cdnow'];
