import type { FieldProblem } from '../http/problem';

/** Deeper than any DTO nests (a purchase line's field is depth 3); far below what recursion survives. */
export const MAX_REQUEST_DEPTH = 32;

// Keys no DTO has, which class-transformer and Nest treat specially: refused like any unknown field
// instead of being dropped silently.
const RESERVED_KEYS = ['__proto__', 'prototype', 'constructor'];

/**
 * The shape problems of a parsed request value, found without recursion (a 5,000-level body must not
 * overflow the stack): nesting beyond `maxDepth`, and reserved keys anywhere, named by dotted path.
 */
export function requestShapeProblems(value: unknown, maxDepth = MAX_REQUEST_DEPTH): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (current === null || typeof current !== 'object' || ArrayBuffer.isView(current)) continue;
    if (depth > maxDepth)
      return [{ field: 'body', rule: 'max_depth', message: `the request nests deeper than ${maxDepth} levels` }];
    const keys = Object.keys(current);
    for (const key of keys) {
      const field = path ? `${path}.${key}` : key;
      if (!Array.isArray(current) && RESERVED_KEYS.includes(key)) {
        problems.push({ field, rule: 'unknown_field', message: `property ${key} should not exist` });
        continue;
      }
      stack.push({ value: (current as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return problems;
}
