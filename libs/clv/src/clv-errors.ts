/** Bad input to a CLV function: names the field and the rule it broke. */
export class InvalidClvInputError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    readonly index?: number,
  ) {
    super(`${index === undefined ? '' : `customer #${index}: `}${field} ${rule}`);
    this.name = 'InvalidClvInputError';
  }
}

/** A model cannot be fitted on zero customers (or zero customers with repeat purchases). */
export class EmptyPopulationError extends Error {
  constructor(
    readonly model: string,
    detail = 'no customers to fit on',
  ) {
    super(`${model}: ${detail}`);
    this.name = 'EmptyPopulationError';
  }
}

/** The Gaussian hypergeometric series did not converge within its term budget. */
export class HypergeometricConvergenceError extends Error {
  constructor(
    readonly a: number,
    readonly b: number,
    readonly c: number,
    readonly z: number,
    reason: string,
  ) {
    super(`2F1(${a}, ${b}; ${c}; ${z}) did not converge: ${reason}`);
    this.name = 'HypergeometricConvergenceError';
  }
}

export function requireFinite(value: number, field: string, index?: number): void {
  if (!Number.isFinite(value)) throw new InvalidClvInputError(field, 'must be a finite number', index);
}

export function requirePositive(value: number, field: string, index?: number): void {
  if (!Number.isFinite(value) || value <= 0)
    throw new InvalidClvInputError(field, 'must be a finite number > 0', index);
}

export function requireNonNegative(value: number, field: string, index?: number): void {
  if (!Number.isFinite(value) || value < 0)
    throw new InvalidClvInputError(field, 'must be a finite number >= 0', index);
}

/** The parameter covariance does not exist: the observed information is singular or not positive definite. */
export class SingularInformationError extends Error {
  constructor(
    readonly model: string,
    detail: string,
  ) {
    super(`${model}: ${detail}`);
    this.name = 'SingularInformationError';
  }
}

/** The data cannot identify the model: a parameter ran to the search bound, so its predictions would be meaningless. */
export class UnidentifiedModelError extends Error {
  constructor(
    readonly model: string,
    readonly warnings: readonly string[],
  ) {
    super(`${model}: not identified by the data: ${warnings.join('; ')}`);
    this.name = 'UnidentifiedModelError';
  }
}
