// L2-regularised logistic regression by stochastic gradient descent over hashed sparse features,
// seeded so the same data gives the same weights (Bottou's 1/(1 + lr·λ·t) rate, scaled-weight trick
// so the L2 shrink costs O(1) per step).

export interface Example {
  index: Int32Array;
  value: Float32Array;
  /** 1 positive, 0 negative, 0.5 no opinion (a soft target: pulls such texts to a score of 0). */
  target: number;
  weight: number;
}

export interface TrainOptions {
  bits: number;
  lambda: number;
  epochs: number;
  learningRate: number;
  seed: number;
  /** Off: the classes are balanced, and a learned intercept pushes short neutral texts to one side. */
  learnBias: boolean;
  /** NB-LR (Wang & Manning 2012): scale each feature by its naive-Bayes log-count ratio, smoothed by this; 0 = off. */
  naiveBayesAlpha?: number;
}

export interface TrainedWeights {
  weights: Float64Array;
  bias: number;
}

/** mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** log((p/|p|) / (q/|q|)) per bucket, p and q the smoothed feature sums over positive and negative examples. */
function logCountRatios(examples: readonly Example[], bits: number, alpha: number): Float64Array {
  const p = new Float64Array(1 << bits).fill(alpha);
  const q = new Float64Array(1 << bits).fill(alpha);
  for (const ex of examples) {
    if (ex.target !== 0 && ex.target !== 1) continue;
    const sums = ex.target === 1 ? p : q;
    for (let i = 0; i < ex.index.length; i++) sums[ex.index[i]!] = sums[ex.index[i]!]! + Math.abs(ex.value[i]!);
  }
  let pSum = 0;
  let qSum = 0;
  for (let i = 0; i < p.length; i++) {
    pSum += p[i]!;
    qSum += q[i]!;
  }
  const r = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) r[i] = Math.abs(Math.log(p[i]! / pSum / (q[i]! / qSum)));
  return r;
}

export function train(examples: readonly Example[], options: TrainOptions): TrainedWeights {
  if (options.naiveBayesAlpha) {
    // train on r∘x, then fold r into the weights: (w∘r)·x is the same score, so scoring is unchanged
    const r = logCountRatios(examples, options.bits, options.naiveBayesAlpha);
    const scaled = examples.map((ex) => ({ ...ex, value: ex.value.map((v, i) => v * (1 + r[ex.index[i]!]!)) }));
    const model = train(scaled, { ...options, naiveBayesAlpha: 0 });
    for (let i = 0; i < model.weights.length; i++) model.weights[i] = model.weights[i]! * (1 + r[i]!);
    return model;
  }
  const v = new Float64Array(1 << options.bits);
  let scale = 1; // weights = scale * v
  let bias = 0;
  let t = 0;
  const random = seededRandom(options.seed);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const pass = shuffled(order, random);
    for (const k of pass) {
      const ex = examples[k]!;
      const rate = options.learningRate / (1 + options.learningRate * options.lambda * t++);
      let margin = bias;
      for (let i = 0; i < ex.index.length; i++) margin += scale * v[ex.index[i]!]! * ex.value[i]!;
      const gradient = (sigmoid(margin) - ex.target) * ex.weight;
      scale *= 1 - rate * options.lambda;
      if (scale < 1e-9) {
        for (let i = 0; i < v.length; i++) v[i] = v[i]! * scale;
        scale = 1;
      }
      const step = (rate * gradient) / scale;
      for (let i = 0; i < ex.index.length; i++) v[ex.index[i]!] = v[ex.index[i]!]! - step * ex.value[i]!;
      if (options.learnBias) bias -= rate * gradient;
    }
  }
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * scale;
  return { weights: v, bias };
}

export function marginFor(model: TrainedWeights, ex: Example): number {
  let margin = model.bias;
  for (let i = 0; i < ex.index.length; i++) margin += model.weights[ex.index[i]!]! * ex.value[i]!;
  return margin;
}

/** Share of polar examples (target 0 or 1) whose margin has the right sign. */
export function accuracy(model: TrainedWeights, examples: readonly Example[]): number {
  let right = 0;
  let n = 0;
  for (const ex of examples) {
    if (ex.target !== 0 && ex.target !== 1) continue;
    n++;
    if (marginFor(model, ex) > 0 === (ex.target === 1)) right++;
  }
  return n === 0 ? NaN : right / n;
}
