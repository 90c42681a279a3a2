// What a CLV back-test refuses; the HTTP edge maps each to its status (problem-mapping.ts), nothing is stored.

/** 400: a query parameter breaks a rule (not a time, not a boolean, holdout not after calibration...). */
export class ClvBacktestQueryInvalid extends Error {
  override readonly name = 'ClvBacktestQueryInvalid';
  constructor(
    readonly field: string,
    readonly rule: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** 404: no customer had a purchase (as known at knownAt): there is nothing to back-test. */
export class NothingToBacktest extends Error {
  override readonly name = 'NothingToBacktest';
  constructor() {
    super('no customer has a purchase (as known at knownAt): nothing to back-test');
  }
}

/** 422: the calibration period holds too few customers, or the model could not be fitted on it. */
export class ClvBacktestNotFittable extends Error {
  override readonly name = 'ClvBacktestNotFittable';
}
