/** A scoring run asked for at a time it cannot be true at (before the first event, in the future); nothing is run. */
export class ScoringRunRefused extends Error {
  override readonly name = 'ScoringRunRefused';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}
