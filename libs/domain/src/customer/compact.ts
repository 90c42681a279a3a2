/** Drops undefined fields so an absent optional value stays absent in the stored event. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
