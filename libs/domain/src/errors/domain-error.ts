import { DOMAIN_RULES, type DomainErrorKind, type DomainRule } from './domain-rules';

/** A command was refused by a business rule. `rule` is a stable code; `kind` drives the HTTP status. */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  protected constructor(
    readonly rule: DomainRule,
    message: string,
    /** The command field at fault, when one is. */
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The customer (or a promise, complaint or order of it) does not exist: 404. */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  constructor(rule: DomainRule & `${string}.unknown`, message: string, field?: string) {
    super(rule, message, field);
  }
}

/** The command contradicts what already happened: 409. */
export class RuleViolationError extends DomainError {
  readonly kind = 'conflict' as const;
  constructor(rule: DomainRule, message: string, field?: string) {
    super(rule, message, field);
  }
}

/** A value of the command is out of range or malformed, whatever the history: 400 naming the field. */
export class InvalidValueError extends DomainError {
  readonly kind = 'invalid' as const;
  declare readonly field: string;
  constructor(rule: DomainRule, field: string, message: string) {
    super(rule, message, field);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** The kind a rule code belongs to (what `DOMAIN_RULES` declares). */
export function kindOfRule(rule: DomainRule): DomainErrorKind {
  return DOMAIN_RULES[rule].kind;
}

/** The error of the right kind for a rule, as `DOMAIN_RULES` declares it. */
export function domainError(rule: DomainRule, message: string, field?: string): DomainError {
  switch (kindOfRule(rule)) {
    case 'not_found':
      return new NotFoundError(rule as DomainRule & `${string}.unknown`, message, field);
    case 'conflict':
      return new RuleViolationError(rule, message, field);
    case 'invalid':
      return new InvalidValueError(rule, field ?? 'body', message);
  }
}
