import { choleskySolve } from './math/cholesky-solve';

/** The RBF-kernel correction of a {@link fitRidgeModel}. */
export interface KernelSettings {
  /** γ in exp(−γ·‖z − z'‖² / d), z the standardised features and d their count. */
  width: number;
  /** Ridge penalty of the kernel weights. */
  penalty: number;
  /** Multiplier of the extra (kernel-only) columns in the distance, e.g. an architecture one-hot; 0 ignores them. */
  extraWeight: number;
}

/** Options of {@link fitRidgeModel}. */
export interface RidgeModelOptions {
  /** One feature row per training example: `linearColumns` standardised columns, then extra columns for the kernel only. */
  rows: readonly Float64Array[];
  /** Columns of each row that the linear part uses (and the kernel, standardised); the rest enter only the kernel, raw. */
  linearColumns: number;
  /** One target per row. */
  targets: readonly number[];
  /** Ridge penalty λ of the linear weights on standardised features (the intercept is not penalised). */
  penalty: number;
  /** An RBF-kernel ridge fitted to the linear model's residuals, or null for a linear model. */
  kernel: KernelSettings | null;
}

/** A fitted ridge (or ridge + kernel) regression. */
export interface RidgeModel {
  /** Prediction for one feature row. */
  predict(row: Float64Array): number;
}

/**
 * Linear ridge regression on standardised features, optionally plus kernel ridge regression on its residuals (whose
 * RBF distance may also see extra columns, such as an architecture encoding: curve plus architecture, the LcSVR idea).
 */
export function fitRidgeModel(options: RidgeModelOptions): RidgeModel {
  const { rows, targets } = options;
  const n = rows.length;
  const d = options.linearColumns;
  const extra = rows[0]!.length - d;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j] = mean[j]! + row[j]! / n;
  for (const row of rows) for (let j = 0; j < d; j++) sd[j] = sd[j]! + (row[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]!) || 1;
  const standardise = (row: Float64Array): Float64Array => row.map((v, j) => (j < d ? (v - mean[j]!) / sd[j]! : v));
  const z = rows.map(standardise);
  const targetMean = targets.reduce((a, b) => a + b, 0) / n;

  const gram = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const t = targets[i]! - targetMean;
    for (let a = 0; a < d; a++) {
      rhs[a] = rhs[a]! + z[i]![a]! * t;
      for (let b = 0; b < d; b++) gram[a * d + b] = gram[a * d + b]! + z[i]![a]! * z[i]![b]!;
    }
  }
  for (let a = 0; a < d; a++) gram[a * d + a] = gram[a * d + a]! + Math.max(options.penalty, 1e-9);
  const weights = choleskySolve(gram, rhs, d) ?? new Float64Array(d);
  const linear = (zRow: Float64Array): number => {
    let s = targetMean;
    for (let j = 0; j < d; j++) s += zRow[j]! * weights[j]!;
    return s;
  };
  const kernel = options.kernel;
  if (kernel === null) return { predict: (row) => linear(standardise(row)) };

  const similarity = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (a[j]! - b[j]!) ** 2;
    let e = 0;
    for (let j = d; j < d + extra; j++) e += (a[j]! - b[j]!) ** 2;
    return Math.exp((-kernel.width * (s + kernel.extraWeight ** 2 * e)) / d);
  };
  const k = new Float64Array(n * n);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    residuals[i] = targets[i]! - linear(z[i]!);
    for (let j = 0; j <= i; j++) {
      const s = similarity(z[i]!, z[j]!);
      k[i * n + j] = s;
      k[j * n + i] = s;
    }
    k[i * n + i] = k[i * n + i]! + Math.max(kernel.penalty, 1e-9);
  }
  const alpha = choleskySolve(k, residuals, n) ?? new Float64Array(n);
  return {
    predict(row) {
      const zRow = standardise(row);
      let s = linear(zRow);
      for (let i = 0; i < n; i++) s += alpha[i]! * similarity(zRow, z[i]!);
      return s;
    },
  };
}
