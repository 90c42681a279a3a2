import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage> & { __rapportCached?: true };
type Lookup = Storage['getTargetValidationMetadatas'];
type Grouping = Storage['groupByPropertyName'];

/**
 * class-validator recomputes a DTO's rules on every validation (a filter over every decorated class,
 * with `instanceof` checks), for each nested object too: a measurable share of a command request.
 * The rules only change when decorators run, so the lookups are memoised and the memo is dropped
 * whenever a rule is registered. The results are read-only for class-validator.
 */
export function cacheValidationMetadata(): void {
  const storage = getMetadataStorage() as Storage;
  if (storage.__rapportCached) return;
  storage.__rapportCached = true;

  let rules = new Map<string, ReturnType<Lookup>>();
  let grouped = new WeakMap<object, ReturnType<Grouping>>();
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group: Grouping = storage.groupByPropertyName.bind(storage);
  const ids = new WeakMap<object, number>();
  let nextId = 0;
  const idOf = (target: unknown): string => {
    if (typeof target !== 'function' && (typeof target !== 'object' || target === null)) return String(target);
    let id = ids.get(target);
    if (id === undefined) ids.set(target, (id = ++nextId));
    return `#${id}`;
  };

  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${idOf(target)}|${schema}|${always}|${strictGroups}|${groups?.join('\u0000') ?? ''}|${groups?.length ?? -1}`;
    let found = rules.get(key);
    if (!found) rules.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
  for (const method of ['addValidationMetadata', 'addConstraintMetadata'] as const) {
    const original = storage[method].bind(storage) as (metadata: never) => void;
    storage[method] = ((metadata: never) => {
      rules = new Map();
      grouped = new WeakMap();
      original(metadata);
    }) as never;
  }
}
