import { createHash } from 'node:crypto';
import { CUSTOMER_COMMAND_TYPES, type Channel, type CustomerCommand } from '@rapport/domain';
import { canonicalJson } from '@rapport/event-store';
import type { ImportItem } from './import-item';

/**
 * NDJSON touchpoints: one domain command per line (`{"type":"RecordPurchase","customerId":...}`),
 * optionally with `idempotencyKey` and `channel`. Without a key, one is derived from the line's
 * canonical JSON, so importing the same file twice stores nothing twice. Field rules are the
 * decider's: this parser checks only what it needs to route the line.
 */
export async function* parseNdjson(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<ImportItem> {
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    const text = raw.trim();
    if (text === '') continue;
    yield { line: lineNumber, ...parseNdjsonLine(text) };
  }
}

export function parseNdjsonLine(
  text: string,
): { touchpoint: NonNullable<Extract<ImportItem, { touchpoint: unknown }>['touchpoint']> } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `not valid JSON (${(error as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { error: 'a line must be a JSON object' };
  const { idempotencyKey, channel, ...command } = value as Record<string, unknown>;
  if (typeof command.type !== 'string' || !(CUSTOMER_COMMAND_TYPES as readonly string[]).includes(command.type)) {
    return { error: `type must be one of ${CUSTOMER_COMMAND_TYPES.join(', ')}; found ${JSON.stringify(command.type)}` };
  }
  if (typeof command.customerId !== 'string' || command.customerId === '')
    return { error: 'customerId is required (a non-empty string)' };
  if (typeof command.occurredAt !== 'string') return { error: 'occurredAt is required (an ISO-8601 time)' };
  if (idempotencyKey !== undefined && (typeof idempotencyKey !== 'string' || idempotencyKey === ''))
    return { error: 'idempotencyKey must be a non-empty string' };
  if (channel !== undefined && typeof channel !== 'string') return { error: 'channel must be a string' };
  return {
    touchpoint: {
      command: command as unknown as CustomerCommand,
      idempotencyKey:
        (idempotencyKey as string | undefined) ??
        `ndjson-${createHash('sha256').update(canonicalJson(command)).digest('hex').slice(0, 32)}`,
      ...(channel === undefined ? {} : { channel: channel as Channel }),
    },
  };
}
