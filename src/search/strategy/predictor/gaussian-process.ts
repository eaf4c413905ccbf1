import { invariant } from '../../../core';

/** Hyperparameters of {@link GaussianProcess}'s squared-exponential kernel on standardised targets. */
export interface GaussianProcessHyperparameters {
  /** Length scale ℓ of `exp(-‖x − x'‖² / 2ℓ²)`, in the encoding's units (√ of differing bits for 0/1 encodings). */
  lengthScale: number;
  /** Observation noise variance, relative to the targets' variance (the signal variance is 1). */
  noise: number;
}

/** Predicted mean and standard deviation of the latent function per input, in the targets' units. */
export interface GaussianProcessPrediction {
  mean: Float64Array;
  std: Float64Array;
}

/** A vector by its non-zero entries (encodings are mostly zeros: NB201's path encoding has at most 4 of 155 set). */
export interface SparseVector {
  /** Positions of the non-zero entries, ascending. */
  index: Int32Array;
  /** Their values. */
  value: Float64Array;
  /** Σ value², kept so that ‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b costs one merge of the non-zeros. */
  norm2: number;
}

/** The sparse form of a dense vector. */
export function sparseVector(dense: readonly number[]): SparseVector {
  const index: number[] = [];
  const value: number[] = [];
  dense.forEach((v, i) => {
    if (v !== 0) {
      index.push(i);
      value.push(v);
    }
  });
  return {
    index: Int32Array.from(index),
    value: Float64Array.from(value),
    norm2: value.reduce((a, v) => a + v * v, 0),
  };
}

/** The hyperparameter grid {@link GaussianProcess.fit} searches when it is asked to choose. */
export interface GaussianProcessGrid {
  lengthScales: readonly number[];
  noises: readonly number[];
}

/**
 * Exact Gaussian-process regression with a squared-exponential kernel, in plain JS: Cholesky of the n×n kernel
 * matrix, O(n³/6) per fit, which at the n ≤ 200 a search run has is a few milliseconds. Targets are standardised;
 * hyperparameters are either given or chosen on a grid by log marginal likelihood (Rasmussen & Williams, eq. 2.30).
 * Squared distances between training inputs are kept between fits, so a refit after one more observation adds one row.
 */
export class GaussianProcess {
  private readonly inputs: SparseVector[] = [];
  /** `distances[i][j]` = ‖x_i − x_j‖² for j < i. */
  private readonly distances: Float64Array[] = [];
  private fitted: {
    lower: Float64Array;
    alpha: Float64Array;
    mean: number;
    scale: number;
    hyper: GaussianProcessHyperparameters;
  } | null = null;

  /** Inputs the process is fitted on, in order; `fit` takes targets for exactly these. */
  get size(): number {
    return this.inputs.length;
  }

  /** The hyperparameters of the last fit, or null before one. */
  get hyperparameters(): GaussianProcessHyperparameters | null {
    return this.fitted?.hyper ?? null;
  }

  /** Appends a training input (its target comes with the next `fit`). */
  add(input: SparseVector): void {
    const row = new Float64Array(this.inputs.length);
    this.inputs.forEach((other, j) => (row[j] = squaredDistance(input, other)));
    this.inputs.push(input);
    this.distances.push(row);
  }

  /**
   * Fits on the added inputs and `targets` (same order), with `hyper` given or, for a grid, the grid point of highest
   * marginal likelihood. Returns the hyperparameters used.
   */
  fit(
    targets: readonly number[],
    hyper: GaussianProcessHyperparameters | GaussianProcessGrid,
  ): GaussianProcessHyperparameters {
    const n = this.inputs.length;
    invariant(
      n > 0 && targets.length === n,
      `GaussianProcess.fit needs one target per input (${n}), got ${targets.length}`,
    );
    const mean = targets.reduce((a, b) => a + b, 0) / n;
    const spread = Math.sqrt(targets.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
    const scale = spread > 0 ? spread : 1;
    const z = Float64Array.from(targets, (v) => (v - mean) / scale);
    const grid =
      'lengthScale' in hyper
        ? [hyper]
        : hyper.lengthScales.flatMap((lengthScale) => hyper.noises.map((noise) => ({ lengthScale, noise })));
    let best: {
      lower: Float64Array;
      alpha: Float64Array;
      hyper: GaussianProcessHyperparameters;
      logLikelihood: number;
    } | null = null;
    for (const point of grid) {
      const lower = this.factor(point);
      if (lower === null) continue;
      const alpha = backSubstitute(lower, forwardSubstitute(lower, z));
      // log p(z) up to a constant: −½ zᵀα − Σ log L_ii.
      let logLikelihood = 0;
      for (let i = 0; i < n; i++) logLikelihood -= 0.5 * z[i]! * alpha[i]! + Math.log(lower[i * n + i]!);
      if (best === null || logLikelihood > best.logLikelihood) best = { lower, alpha, hyper: point, logLikelihood };
    }
    invariant(best !== null, 'GaussianProcess.fit: no grid point gave a positive-definite kernel matrix');
    this.fitted = { lower: best.lower, alpha: best.alpha, mean, scale, hyper: best.hyper };
    return best.hyper;
  }

  /**
   * What a caller computing its own kernel values needs (after a fit): the posterior mean at x is
   * `mean + scale · Σ alpha_i k(x, x_i)` with `k = exp(−‖x − x_i‖² / 2·lengthScale²)` over the inputs in order; its std is
   * {@link stdFromKernel}.
   */
  get posterior(): { alpha: Float64Array; mean: number; scale: number; lengthScale: number } {
    const fitted = this.fitted;
    invariant(fitted !== null, 'GaussianProcess.posterior before fit');
    return { alpha: fitted.alpha, mean: fitted.mean, scale: fitted.scale, lengthScale: fitted.hyper.lengthScale };
  }

  /** Posterior std of the latent function at a point, from its kernel values against the inputs (in order). */
  stdFromKernel(k: Float64Array): number {
    const fitted = this.fitted;
    invariant(fitted !== null, 'GaussianProcess.stdFromKernel before fit');
    const v = forwardSubstitute(fitted.lower, k);
    let explained = 0;
    for (let i = 0; i < v.length; i++) explained += v[i]! * v[i]!;
    return fitted.scale * Math.sqrt(Math.max(1 - explained, 0));
  }

  /** Posterior mean and std of the latent function (noise not included) at each input. */
  predict(inputs: readonly SparseVector[]): GaussianProcessPrediction {
    const fitted = this.fitted;
    invariant(fitted !== null, 'GaussianProcess.predict before fit');
    const n = this.inputs.length;
    const twoL2 = 2 * fitted.hyper.lengthScale ** 2;
    const mean = new Float64Array(inputs.length);
    const std = new Float64Array(inputs.length);
    const k = new Float64Array(n);
    inputs.forEach((input, c) => {
      let m = 0;
      for (let i = 0; i < n; i++) {
        k[i] = Math.exp(-squaredDistance(input, this.inputs[i]!) / twoL2);
        m += k[i]! * fitted.alpha[i]!;
      }
      const v = forwardSubstitute(fitted.lower, k);
      let explained = 0;
      for (let i = 0; i < n; i++) explained += v[i]! * v[i]!;
      mean[c] = fitted.mean + fitted.scale * m;
      std[c] = fitted.scale * Math.sqrt(Math.max(1 - explained, 0));
    });
    return { mean, std };
  }

  /** Lower Cholesky factor of K + noise·I, or null when it is not positive definite. */
  private factor(hyper: GaussianProcessHyperparameters): Float64Array | null {
    const n = this.inputs.length;
    const twoL2 = 2 * hyper.lengthScale ** 2;
    const lower = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const row = this.distances[i]!;
      for (let j = 0; j <= i; j++) {
        let sum = i === j ? 1 + hyper.noise : Math.exp(-row[j]! / twoL2);
        for (let q = 0; q < j; q++) sum -= lower[i * n + q]! * lower[j * n + q]!;
        if (i === j) {
          if (!(sum > 0)) return null;
          lower[i * n + i] = Math.sqrt(sum);
        } else {
          lower[i * n + j] = sum / lower[j * n + j]!;
        }
      }
    }
    return lower;
  }
}

/** ‖a − b‖² of two sparse vectors. */
export function squaredDistance(a: SparseVector, b: SparseVector): number {
  let dot = 0;
  for (let i = 0, j = 0; i < a.index.length && j < b.index.length;) {
    const d = a.index[i]! - b.index[j]!;
    if (d === 0) dot += a.value[i++]! * b.value[j++]!;
    else if (d < 0) i++;
    else j++;
  }
  // Clamped: rounding can leave −1e-16 for equal vectors.
  return Math.max(a.norm2 + b.norm2 - 2 * dot, 0);
}

/** Solves L y = b for lower-triangular L (row-major, n×n). */
function forwardSubstitute(lower: Float64Array, b: Float64Array): Float64Array {
  const n = b.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let q = 0; q < i; q++) sum -= lower[i * n + q]! * y[q]!;
    y[i] = sum / lower[i * n + i]!;
  }
  return y;
}

/** Solves Lᵀ x = y for lower-triangular L (row-major, n×n). */
function backSubstitute(lower: Float64Array, y: Float64Array): Float64Array {
  const n = y.length;
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let q = i + 1; q < n; q++) sum -= lower[q * n + i]! * x[q]!;
    x[i] = sum / lower[i * n + i]!;
  }
  return x;
}
