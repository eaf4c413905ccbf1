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

/** A fitted ridge (or ridge + kernel) regression as plain data: what {@link ridgeModelFromState} rebuilds it from. */
export interface RidgeModelState {
  /** Column means of the linear columns. */
  mean: number[];
  /** Column standard deviations of the linear columns (1 where a column is constant). */
  sd: number[];
  /** Mean of the targets (the unpenalised intercept). */
  targetMean: number;
  /** Linear weights on the standardised columns. */
  weights: number[];
  /** The kernel correction, or null for a linear model. */
  kernel: {
    /** Its settings. */
    settings: KernelSettings;
    /** Standardised training rows (the kernel's centres), row-major, each linear + extra columns long. */
    centres: number[];
    /** Dual weights, one per centre. */
    alpha: number[];
  } | null;
}

/** A fitted ridge (or ridge + kernel) regression. */
export interface RidgeModel {
  /** Prediction for one feature row. */
  predict(row: Float64Array): number;
  /** The fitted numbers, for storage; {@link ridgeModelFromState} of it predicts identically. */
  readonly state: RidgeModelState;
}

/**
 * Linear ridge regression on standardised features, optionally plus kernel ridge regression on its residuals (whose
 * RBF distance may also see extra columns, such as an architecture encoding: curve plus architecture, the LcSVR idea).
 */
export function fitRidgeModel(options: RidgeModelOptions): RidgeModel {
  const { rows, targets } = options;
  const n = rows.length;
  const d = options.linearColumns;
  const width = rows[0]!.length;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j] = mean[j]! + row[j]! / n;
  for (const row of rows) for (let j = 0; j < d; j++) sd[j] = sd[j]! + (row[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]!) || 1;
  const z = rows.map((row) => standardise(row, mean, sd));
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
  const state: RidgeModelState = { mean: [...mean], sd: [...sd], targetMean, weights: [...weights], kernel: null };
  const kernel = options.kernel;
  if (kernel === null) return ridgeModelFromState(state);
  const centres = new Float64Array(n * width);
  z.forEach((row, i) => centres.set(row, i * width));
  const k = new Float64Array(n * n);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    residuals[i] = targets[i]! - linearPart(z[i]!, targetMean, weights, d);
    for (let j = 0; j <= i; j++) {
      const s = similarity(centres, i * width, z[j]!, kernel, d, width);
      k[i * n + j] = s;
      k[j * n + i] = s;
    }
    k[i * n + i] = k[i * n + i]! + Math.max(kernel.penalty, 1e-9);
  }
  const alpha = choleskySolve(k, residuals, n) ?? new Float64Array(n);
  return ridgeModelFromState({
    ...state,
    kernel: { settings: { ...kernel }, centres: [...centres], alpha: [...alpha] },
  });
}

function standardise(row: Float64Array, mean: ArrayLike<number>, sd: ArrayLike<number>): Float64Array {
  const d = mean.length;
  return row.map((v, j) => (j < d ? (v - mean[j]!) / sd[j]! : v));
}

function linearPart(zRow: Float64Array, targetMean: number, weights: ArrayLike<number>, d: number): number {
  let s = targetMean;
  for (let j = 0; j < d; j++) s += zRow[j]! * weights[j]!;
  return s;
}

/** RBF similarity of the centre at `offset` and a standardised row. */
function similarity(
  centres: ArrayLike<number>,
  offset: number,
  zRow: Float64Array,
  kernel: KernelSettings,
  d: number,
  width: number,
): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (centres[offset + j]! - zRow[j]!) ** 2;
  let e = 0;
  for (let j = d; j < width; j++) e += (centres[offset + j]! - zRow[j]!) ** 2;
  return Math.exp((-kernel.width * (s + kernel.extraWeight ** 2 * e)) / d);
}

/** The model a {@link RidgeModelState} describes; predictions are bit-identical to the model that produced the state. */
export function ridgeModelFromState(state: RidgeModelState): RidgeModel {
  const d = state.mean.length;
  const mean = Float64Array.from(state.mean);
  const sd = Float64Array.from(state.sd);
  const weights = Float64Array.from(state.weights);
  const kernel = state.kernel;
  if (kernel === null)
    return { state, predict: (row) => linearPart(standardise(row, mean, sd), state.targetMean, weights, d) };
  const centres = Float64Array.from(kernel.centres);
  const alpha = Float64Array.from(kernel.alpha);
  const n = alpha.length;
  const width = n === 0 ? d : centres.length / n;
  return {
    state,
    predict(row) {
      const zRow = standardise(row, mean, sd);
      let s = linearPart(zRow, state.targetMean, weights, d);
      for (let i = 0; i < n; i++) s += alpha[i]! * similarity(centres, i * width, zRow, kernel.settings, d, width);
      return s;
    },
  };
}
