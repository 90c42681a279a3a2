import type { ValidationError } from 'class-validator';
import type { FieldProblem } from './problem';

/** 400: the request body, path or headers failed validation; lists every failing field and rule. */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  constructor(readonly errors: FieldProblem[]) {
    super(`invalid request: ${errors.map((e) => `${e.field} (${e.rule})`).join(', ')}`);
  }

  /** Flattens class-validator's tree into dotted field paths (`lines.0.quantity`). */
  static fromValidationErrors(errors: ValidationError[], parent = ''): RequestValidationError {
    return new RequestValidationError(flatten(errors, parent));
  }
}

function flatten(errors: ValidationError[], parent: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknown_field' : rule,
      message,
    }));
    return own.concat(flatten(error.children ?? [], field));
  });
}
