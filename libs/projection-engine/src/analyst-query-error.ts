/** An analyst's parameter outside what the query accepts; `field` names it. Nothing is run. */
export class AnalystQueryError extends Error {
  override readonly name = 'AnalystQueryError';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}
