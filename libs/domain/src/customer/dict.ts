/**
 * Collections of the decider state: plain objects keyed by id (readable, JSON-serialisable for
 * snapshots and the audit view) without a prototype, so ids such as `__proto__` are plain keys.
 * `dictSet` copies (for the pure `evolve`); `dictSetInPlace` writes into a copy the caller owns
 * (for `rehydrate`, which folds a whole stream in one pass).
 */
export type Dict<T> = Readonly<Record<string, T>>;

const blank = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

export const emptyDict = <T>(): Dict<T> => blank<T>();

export function dictGet<T>(dict: Dict<T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
}

export const dictHas = <T>(dict: Dict<T>, key: string): boolean => dictGet(dict, key) !== undefined;

/** A new dictionary with `key` set; the given one is unchanged. */
export function dictSet<T>(dict: Dict<T>, key: string, value: T): Dict<T> {
  const next = Object.assign(blank<T>(), dict);
  next[key] = value;
  return next;
}

/** Sets `key` in a dictionary the caller owns (from `dictOwnedCopy` or `emptyDict`), without copying. */
export function dictSetInPlace<T>(dict: Dict<T>, key: string, value: T): Dict<T> {
  (dict as Record<string, T>)[key] = value;
  return dict;
}

/** A copy the caller owns and may change with `dictSetInPlace`. */
export const dictOwnedCopy = <T>(dict: Dict<T>): Dict<T> => Object.assign(blank<T>(), dict);

export const dictValues = <T>(dict: Dict<T>): T[] => Object.values(dict);

export const dictSize = <T>(dict: Dict<T>): number => Object.keys(dict).length;
