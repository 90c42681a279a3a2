// A logistic-regression model over hashed features, as trained by libs/sentiment/training and
// shipped in libs/sentiment/model/*.model.json (weights quantised to 16 bits, base64).
import type { FeatureBuffer } from './feature-buffer';

export const MODEL_FORMAT = 'rapport-sentiment-linear/1';
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The file `npm run train:sentiment` writes. */
export interface SentimentModelFile {
  format: typeof MODEL_FORMAT;
  language: 'en' | 'zh';
  /** log2 of the number of hashed feature buckets. */
  bits: number;
  bias: number;
  /** weight = int16 * scale */
  scale: number;
  /** Little-endian int16 weights, base64. */
  weights: string;
  /** How it was trained and what it scored on its evaluation splits (also in the model card). */
  training: Record<string, unknown>;
  /** Public vocabulary: the hashed words (English) or character pairs (Chinese) seen in many training texts. */
  vocabulary?: { bits: number; minTexts: number; set: string };
}

export interface LinearModel {
  language: 'en' | 'zh';
  mask: number;
  bias: number;
  /** Quantised weights: weight = weights[i] * scale. Kept 16-bit, as half the memory is fewer cache misses. */
  weights: Int16Array;
  scale: number;
  /** Bit set of vocabulary keys (see `isVocabulary`); null: every key counts as vocabulary. */
  vocabulary: Uint8Array | null;
  vocabularyMask: number;
}

/** Whether a word or character-pair key is in the model's public vocabulary. */
export function isVocabulary(model: LinearModel, key: number): boolean {
  if (!model.vocabulary) return true;
  const bit = key & model.vocabularyMask;
  return (model.vocabulary[bit >>> 3]! & (1 << (bit & 7))) !== 0;
}

/** Builds the vocabulary bit set from keys (the training tool's side of `isVocabulary`). */
export function encodeVocabulary(
  keys: Iterable<number>,
  bits: number,
  minTexts: number,
): NonNullable<SentimentModelFile['vocabulary']> {
  const set = new Uint8Array(1 << (bits - 3));
  const mask = (1 << bits) - 1;
  for (const key of keys) {
    const bit = key & mask;
    set[bit >>> 3] = set[bit >>> 3]! | (1 << (bit & 7));
  }
  return { bits, minTexts, set: Buffer.from(set).toString('base64') };
}

export function decodeModel(file: SentimentModelFile): LinearModel {
  if (file.format !== MODEL_FORMAT) throw new Error(`sentiment model: format ${file.format} is not ${MODEL_FORMAT}`);
  const bytes = Buffer.from(file.weights, 'base64');
  const size = 1 << file.bits;
  if (bytes.length !== size * 2)
    throw new Error(`sentiment model ${file.language}: ${bytes.length} bytes of weights, expected ${size * 2}`);
  const weights = new Int16Array(size);
  if (LITTLE_ENDIAN)
    new Uint8Array(weights.buffer).set(bytes); // one copy: the file is little-endian too
  else for (let i = 0; i < size; i++) weights[i] = bytes.readInt16LE(i * 2);
  const vocabulary = file.vocabulary ? new Uint8Array(Buffer.from(file.vocabulary.set, 'base64')) : null;
  const vocabularyMask = file.vocabulary ? (1 << file.vocabulary.bits) - 1 : 0;
  return {
    language: file.language,
    mask: size - 1,
    bias: file.bias,
    weights,
    scale: file.scale,
    vocabulary,
    vocabularyMask,
  };
}

/** Quantises float weights into the file format (the training tool's side of `decodeModel`). */
export function encodeModel(
  language: 'en' | 'zh',
  bits: number,
  bias: number,
  weights: Float64Array,
  training: Record<string, unknown>,
  vocabulary?: SentimentModelFile['vocabulary'],
): SentimentModelFile {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max === 0 ? 1 : max / 32767;
  const bytes = Buffer.alloc(weights.length * 2);
  for (let i = 0; i < weights.length; i++) bytes.writeInt16LE(Math.round(weights[i]! / scale), i * 2);
  return {
    format: MODEL_FORMAT,
    language,
    bits,
    bias,
    scale,
    weights: bytes.toString('base64'),
    training,
    ...(vocabulary ? { vocabulary } : {}),
  };
}

/**
 * The model's log-odds of "positive" for the features in `buffer`; with `contributions`, each
 * feature's share is added to the units it came from (split evenly over an n-gram's units).
 */
export function marginOf(model: LinearModel, buffer: FeatureBuffer, contributions?: Float64Array): number {
  let margin = model.bias;
  const { weights, scale } = model;
  for (let i = 0; i < buffer.count; i++) {
    const part = weights[buffer.index[i]!]! * buffer.value[i]! * scale;
    margin += part;
    if (!contributions) continue;
    const from = buffer.from[i]!;
    const to = buffer.to[i]!;
    if (from < 0) continue;
    const share = part / (to - from + 1);
    for (let u = from; u <= to; u++) contributions[u]! += share;
  }
  return margin;
}
