/** A filter, sort, limit or cursor outside the query language; `path` names the offending part. */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';
  constructor(
    readonly path: string,
    readonly rule: string,
  ) {
    super(`${path}: ${rule}`);
  }
}

/** A collection name that cannot be used as a table/collection identifier. */
export class InvalidCollectionNameError extends Error {
  override readonly name = 'InvalidCollectionNameError';
  constructor(readonly collection: string) {
    super(`collection "${collection}": must match ${COLLECTION_NAME.source}`);
  }
}

export const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,100}$/;

export function assertCollectionName(name: string): void {
  if (!COLLECTION_NAME.test(name)) throw new InvalidCollectionNameError(name);
}
