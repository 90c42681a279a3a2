import {
  DOMAIN_RULES,
  domainError,
  InvalidValueError,
  NotFoundError,
  RuleViolationError,
  type DomainRule,
} from '@rapport/domain';

describe('domain errors', () => {
  it.each(Object.keys(DOMAIN_RULES) as DomainRule[])('%s gives an error of its declared kind', (rule) => {
    const error = domainError(rule, 'message', 'field');
    expect(error.rule).toBe(rule);
    expect(error.kind).toBe(DOMAIN_RULES[rule].kind);
    const expectedClass = { not_found: NotFoundError, conflict: RuleViolationError, invalid: InvalidValueError }[
      error.kind
    ];
    expect(error).toBeInstanceOf(expectedClass);
    expect(error.name).toBe(expectedClass.name);
  });

  it('only `.unknown` rules are not-found rules', () => {
    for (const [rule, { kind }] of Object.entries(DOMAIN_RULES))
      expect(kind === 'not_found').toBe(rule.endsWith('.unknown'));
  });
});
