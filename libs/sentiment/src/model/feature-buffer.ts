// Hashed sparse features of one text, in reused typed arrays: scoring runs in every rebuild and
// replay, so extracting features allocates nothing per feature. Each feature remembers the units
// (English words, Chinese characters) it came from, so a score can be explained by words.

/** FNV-1a, 32 bits: a fast, stable string hash (the same in training and at run time). */
export const FNV_OFFSET = 0x811c9dc5;
export const fnvStep = (hash: number, code: number): number => Math.imul(hash ^ code, 0x01000193);

/** Combines two hashes into one (an n-gram's from its parts), order-sensitive. */
export const combineHash = (a: number, b: number): number =>
  Math.imul(a ^ Math.imul(b ^ (b >>> 15), 0x2c1b3c6d), 0x297a2d39) ^ (a >>> 13);

/** FNV-1a of a whole string (a word, a character). */
export function hashUnit(unit: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < unit.length; i++) h = fnvStep(h, unit.charCodeAt(i));
  return h;
}

export class FeatureBuffer {
  count = 0;
  index: Int32Array;
  value: Float32Array;
  /** First and last unit (inclusive) the feature came from; -1 for whole-text features. */
  from: Int32Array;
  to: Int32Array;

  constructor(
    readonly mask: number,
    capacity = 1024,
  ) {
    this.index = new Int32Array(capacity);
    this.value = new Float32Array(capacity);
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
  }

  reset(): void {
    this.count = 0;
  }

  add(hash: number, value: number, from: number, to: number): void {
    if (this.count === this.index.length) this.grow();
    const i = this.count++;
    this.index[i] = hash & this.mask;
    this.value[i] = value;
    this.from[i] = from;
    this.to[i] = to;
  }

  /** Scales the values to unit length, so long and short texts weigh their words alike. */
  normalise(): void {
    let sum = 0;
    for (let i = 0; i < this.count; i++) sum += this.value[i]! * this.value[i]!;
    if (sum === 0) return;
    const scale = 1 / Math.sqrt(sum);
    for (let i = 0; i < this.count; i++) this.value[i] = this.value[i]! * scale;
  }

  private grow(): void {
    const size = this.index.length * 2;
    const grown = <T extends Int32Array | Float32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.index = grown(this.index, new Int32Array(size));
    this.value = grown(this.value, new Float32Array(size));
    this.from = grown(this.from, new Int32Array(size));
    this.to = grown(this.to, new Int32Array(size));
  }
}
