// Small dense symmetric-matrix helpers for the 3×3 and 4×4 covariances of the parameter uncertainty.

/** Lower-triangular Cholesky factor L (A = L·Lᵀ), or null when A is not positive definite. */
export function cholesky(matrix: readonly (readonly number[])[]): number[][] | null {
  const n = matrix.length;
  const lower = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (matrix[i] as readonly number[])[j] as number;
      for (let k = 0; k < j; k++) sum -= (lower[i] as number[])[k]! * (lower[j] as number[])[k]!;
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return null;
        (lower[i] as number[])[i] = Math.sqrt(sum);
      } else (lower[i] as number[])[j] = sum / (lower[j] as number[])[j]!;
    }
  }
  return lower;
}

/** Inverse of a symmetric positive-definite matrix through its Cholesky factor; null when not positive definite. */
export function invertPositiveDefinite(matrix: readonly (readonly number[])[]): number[][] | null {
  const lower = cholesky(matrix);
  if (lower === null) return null;
  const n = matrix.length;
  // Columns of A⁻¹ solve L·Lᵀ·x = e_j: forward then back substitution.
  const inverse = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let sum = i === j ? 1 : 0;
      for (let k = 0; k < i; k++) sum -= lower[i]![k]! * y[k]!;
      y[i] = sum / lower[i]![i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = y[i]!;
      for (let k = i + 1; k < n; k++) sum -= lower[k]![i]! * inverse[k]![j]!;
      inverse[i]![j] = sum / lower[i]![i]!;
    }
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) inverse[i]![j] = inverse[j]![i] = (inverse[i]![j]! + inverse[j]![i]!) / 2;
  return inverse;
}

/** gᵀ·A·g for a gradient g and a symmetric A: the delta-method variance. */
export function quadraticForm(matrix: readonly (readonly number[])[], gradient: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < matrix.length; i++) {
    const row = matrix[i] as readonly number[];
    for (let j = 0; j < row.length; j++)
      total += (gradient[i] as number) * (row[j] as number) * (gradient[j] as number);
  }
  return total;
}

/**
 * Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9), for the
 * z of a two-sided interval: normalQuantile(0.95) = 1.6449.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const tail = (q: number): number =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Sample quantile with linear interpolation between order statistics (R type 7) of a sorted array. */
export function sortedQuantile(sorted: ArrayLike<number>, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return (sorted[below] as number) + (position - below) * ((sorted[above] as number) - (sorted[below] as number));
}
