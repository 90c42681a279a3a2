import { RequestValidationError } from '../http/request-validation.error';

/**
 * The position a read must reflect: `?min-position=N` or the `Min-Position` header (the `position` a
 * command answered with). Undefined when neither is given; 400 naming the header when it is malformed.
 */
export function minPositionOf(query: number | undefined, header: string | undefined): number | undefined {
  if (query !== undefined) return query;
  if (header === undefined || header.trim() === '') return undefined;
  const value = Number(header.trim());
  if (!Number.isSafeInteger(value) || value < 1 || !/^\d+$/.test(header.trim()))
    throw new RequestValidationError([
      { field: 'min-position', rule: 'isInt', message: 'Min-Position must be an event position (an integer >= 1)' },
    ]);
  return value;
}
