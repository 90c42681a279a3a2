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

/** A fenced write whose lease token is no longer the current one: its writer lost the lease. Nothing was written. */
export class LeaseFencedError extends Error {
  override readonly name = 'LeaseFencedError';
  constructor(
    readonly lease: string,
    readonly token: number,
    /** The lease's token now, and its holder (null: released or never granted). */
    readonly currentToken: number | null,
    readonly currentOwner: string | null,
  ) {
    super(
      `lease "${lease}": token ${token} is stale (current ${currentToken ?? 'none'}, held by ${currentOwner ?? 'nobody'}); nothing written`,
    );
  }
}

/** A lease call with an unusable argument; `field` names it. */
export class InvalidLeaseArgumentError extends Error {
  override readonly name = 'InvalidLeaseArgumentError';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}
