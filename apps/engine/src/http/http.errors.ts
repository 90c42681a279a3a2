/** Thrown for a path some route serves, with a method none of them takes. */
export class MethodNotAllowedError extends Error {
  override readonly name = 'MethodNotAllowedError';
  constructor(
    readonly method: string,
    readonly allow: string[],
  ) {
    super(`${method} is not allowed here; allowed: ${allow.join(', ')}`);
  }
}
