/** A Float64Array that doubles as it fills: a column of a scoring run's population, written in order. */
export class Float64Column {
  private values: Float64Array;

  constructor(capacity = 1024) {
    this.values = new Float64Array(capacity);
  }

  /** Writes `value` at `index`, growing the column to hold it. */
  set(index: number, value: number): void {
    if (index >= this.values.length) {
      const grown = new Float64Array(Math.max(index + 1, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[index] = value;
  }

  at(index: number): number {
    return this.values[index] as number;
  }

  /** A copy of [from, to). */
  copy(from: number, to: number): Float64Array {
    return this.values.slice(from, to);
  }
}
