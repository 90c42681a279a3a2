/**
 * A persistent dictionary as plain data: entries spread over 64 buckets by a hash of the key, so an
 * update copies the bucket index and one bucket instead of the whole dictionary. This keeps `evolve`
 * pure and still cheap for customers with tens of thousands of events, and the state JSON-serialisable
 * (snapshots). Buckets have no prototype, so keys such as `__proto__` are plain keys.
 */
export type Dict<T> = Readonly<Record<string, Readonly<Record<string, T>>>>;

const BUCKETS = 64;

const bucketOf = (key: string): string => {
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return String((hash >>> 0) % BUCKETS);
};

const blank = <V>(): Record<string, V> => Object.create(null) as Record<string, V>;

export const emptyDict = <T>(): Dict<T> => blank<Readonly<Record<string, T>>>();

export function dictGet<T>(dict: Dict<T>, key: string): T | undefined {
  const bucket = dict[bucketOf(key)];
  return bucket && Object.prototype.hasOwnProperty.call(bucket, key) ? bucket[key] : undefined;
}

export const dictHas = <T>(dict: Dict<T>, key: string): boolean => dictGet(dict, key) !== undefined;

/** A new dictionary with `key` set; the given one is unchanged. */
export function dictSet<T>(dict: Dict<T>, key: string, value: T): Dict<T> {
  const name = bucketOf(key);
  const bucket = Object.assign(blank<T>(), dict[name]);
  bucket[key] = value;
  const next = Object.assign(blank<Readonly<Record<string, T>>>(), dict);
  next[name] = bucket;
  return next;
}

/** Entries in no particular order. */
export function dictValues<T>(dict: Dict<T>): T[] {
  return Object.values(dict).flatMap((bucket) => Object.values(bucket));
}

export function dictSize<T>(dict: Dict<T>): number {
  return Object.values(dict).reduce((n, bucket) => n + Object.keys(bucket).length, 0);
}
