/**
 * Small dense least squares through the normal equations: callers build XᵀX and Xᵀy (often once,
 * then solve for nested subsets of columns), solve by Cholesky, and compute the residual sum of
 * squares from the residuals themselves rather than from yᵀy − bᵀXᵀy, which cancels badly.
 * Callers standardise their columns first so XᵀX stays well conditioned.
 */

/**
 * Solves A·b = r for a symmetric positive-definite k×k matrix A (row-major) by Cholesky.
 * Returns null when A is numerically singular (a pivot ≤ 1e-10 × its diagonal entry), i.e. when
 * the regressors are collinear.
 */
export function choleskySolve(a: Float64Array, r: Float64Array, k: number): Float64Array | null {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * k + j] as number;
      for (let m = 0; m < j; m++) sum -= (l[i * k + m] as number) * (l[j * k + m] as number);
      if (i === j) {
        if (!(sum > 1e-10 * Math.max(a[i * k + i] as number, Number.MIN_VALUE))) return null;
        l[i * k + i] = Math.sqrt(sum);
      } else l[i * k + j] = sum / (l[j * k + j] as number);
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let sum = r[i] as number;
    for (let m = 0; m < i; m++) sum -= (l[i * k + m] as number) * (z[m] as number);
    z[i] = sum / (l[i * k + i] as number);
  }
  const b = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let sum = z[i] as number;
    for (let m = i + 1; m < k; m++) sum -= (l[m * k + i] as number) * (b[m] as number);
    b[i] = sum / (l[i * k + i] as number);
  }
  return b;
}

/** The sub-system of (XᵀX, Xᵀy) for the given column indices. */
export function subSystem(gram: Float64Array, xty: Float64Array, size: number, columns: readonly number[]): { a: Float64Array; r: Float64Array } {
  const k = columns.length;
  const a = new Float64Array(k * k);
  const r = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const ci = columns[i] as number;
    r[i] = xty[ci] as number;
    for (let j = 0; j < k; j++) a[i * k + j] = gram[ci * size + (columns[j] as number)] as number;
  }
  return { a, r };
}

/** OLS fit result. */
export interface LeastSquaresFit {
  coefficients: Float64Array;
  rss: number;
}

/**
 * OLS of y on the columns of `rows` (each row one observation; include a 1 for an intercept).
 * Returns null when the columns are collinear.
 */
export function leastSquares(rows: readonly (readonly number[])[], y: readonly number[]): LeastSquaresFit | null {
  const k = rows[0]?.length ?? 0;
  const gram = new Float64Array(k * k);
  const xty = new Float64Array(k);
  rows.forEach((row, t) => {
    for (let i = 0; i < k; i++) {
      xty[i] = (xty[i] as number) + (row[i] as number) * (y[t] as number);
      for (let j = 0; j < k; j++) gram[i * k + j] = (gram[i * k + j] as number) + (row[i] as number) * (row[j] as number);
    }
  });
  const coefficients = choleskySolve(gram, xty, k);
  if (!coefficients) return null;
  let rss = 0;
  rows.forEach((row, t) => {
    let fitted = 0;
    for (let i = 0; i < k; i++) fitted += (coefficients[i] as number) * (row[i] as number);
    rss += ((y[t] as number) - fitted) ** 2;
  });
  return { coefficients, rss };
}
