import { createHash } from 'node:crypto';
import type { EventToAppend } from '../event-store.port';
import { canonicalJson, eventHash } from '../hash-chain';

/** An event as it goes to storage: the stored bytes and the hash that chains them. */
export interface EncodedEvent {
  dataJson: string;
  /** The metadata with `prevHash` and `hash`, as stored. */
  metadataJson: string;
  hash: string;
}

const isPlain = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/** Keys recur from event to event: each is quoted once (bounded, so odd keys cannot grow it forever). */
const quotedKeys = new Map<string, string>();
const quoted = (key: string): string => {
  let found = quotedKeys.get(key);
  if (found === undefined) {
    found = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, found);
  }
  return found;
};

/**
 * `canonicalJson(JSON.parse(JSON.stringify(value)))` in one pass, without the round trip: what the
 * hash must cover is what will be read back (undefined dropped, dates as strings, NaN as null).
 * Values that are neither JSON primitives, arrays nor plain objects take the round trip itself.
 */
export function canonicalJsonOf(value: unknown, key = ''): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      return JSON.stringify(value); // throws, as the round trip would
    default:
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJsonOf(value[i], String(i)) ?? 'null';
    }
    return `${out}]`;
  }
  if (!isPlain(value as object)) {
    const json = JSON.stringify(value);
    return json === undefined ? undefined : canonicalJson(JSON.parse(json));
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const encoded = canonicalJsonOf(record[k], k);
    if (encoded === undefined) continue;
    out += first ? `${quoted(k)}:${encoded}` : `,${quoted(k)}:${encoded}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * The stored bytes and hash of an event appended at `revision` after `prevHash`: exactly what
 * `eventHash` gives over the event as it will be read back (stored JSON parsed), with each value
 * serialised once.
 */
export function encodeForAppend(
  streamId: string,
  revision: number,
  event: EventToAppend,
  prevHash: string,
): EncodedEvent {
  const dataJson = JSON.stringify(event.data);
  const metadata: Record<string, unknown> = { ...event.metadata, prevHash };
  if ('hash' in event.metadata || typeof event.data.toJSON === 'function' || typeof metadata.toJSON === 'function') {
    return encodeByRoundTrip(streamId, revision, event, prevHash, dataJson);
  }
  const metadataJson = JSON.stringify(metadata);
  const body =
    `{"data":${canonicalJsonOf(event.data)},"metadata":${canonicalJsonOf(metadata)},"revision":${revision}` +
    `,"streamId":${JSON.stringify(streamId)},"type":${JSON.stringify(event.type)}}`;
  const hash = createHash('sha256').update(prevHash).update(body).digest('hex');
  return { dataJson, metadataJson: `${metadataJson.slice(0, -1)},"hash":"${hash}"}`, hash };
}

/** The reference encoding (parse what will be stored, hash it): for the unusual shapes above. */
function encodeByRoundTrip(
  streamId: string,
  revision: number,
  event: EventToAppend,
  prevHash: string,
  dataJson: string,
): EncodedEvent {
  const data = JSON.parse(dataJson) as Record<string, unknown>;
  const metadata = JSON.parse(JSON.stringify({ ...event.metadata, prevHash })) as Record<string, unknown>;
  const hash = eventHash(prevHash, { streamId, revision, type: event.type, data, metadata });
  metadata.hash = hash;
  return { dataJson, metadataJson: JSON.stringify(metadata), hash };
}
