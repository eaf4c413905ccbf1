import type { CurveFamily, CurveSummary } from './curve-family';
import { levenbergMarquardt } from './levenberg-marquardt';
import { choleskySolve } from './math/cholesky-solve';

/** Options of {@link fitCurveFamily}. */
export interface FitCurveFamilyOptions {
  /** Observed values as fractions; value i is epoch i + 1. */
  curve: readonly number[];
  /** Summary of the observed curve for the family's starting points. */
  summary: CurveSummary;
  /** Longer curves are fitted on this many window means, weighted by their window sizes (default 24). */
  maxPoints?: number;
  /** Levenberg–Marquardt iterations per start (default 30). */
  maxIterations?: number;
  /** Stop a start when a step lowers the squared error by less than this fraction (default 1e-5). */
  tolerance?: number;
}

/** A family fitted to an observed curve. */
export interface FittedCurveFamily {
  /** The family. */
  family: CurveFamily;
  /** Fitted parameters. */
  params: number[];
  /** Sum of squared residuals on every observed epoch. */
  sse: number;
  /** Residual variance σ² = SSE / (n − p) of one epoch's value. */
  noiseVariance: number;
  /** The fitted curve's value at epoch `x`. */
  value(x: number): number;
  /**
   * Predictive variance of one observation at epoch `x`: σ²(1 + gᵀ(JᵀJ)⁻¹g), g the gradient of the value in the
   * parameters (delta method), capped at 1 (the whole fraction range).
   */
  predictiveVariance(x: number): number;
}

/**
 * Window means of a curve, at most `maxPoints` of them at the windows' mean epochs and weighted by window size. The
 * windows end at n·(k/count)², so the early epochs, where curves bend, stay single points and only the flat tail is
 * averaged (a window mean at the mean epoch is then close to the curve's value there).
 */
function aggregate(curve: readonly number[], maxPoints: number): { xs: number[]; ys: number[]; weights: number[] } {
  const n = curve.length;
  const count = Math.min(n, maxPoints);
  const xs: number[] = [];
  const ys: number[] = [];
  const weights: number[] = [];
  let start = 0;
  for (let k = 1; k <= count && start < n; k++) {
    const remaining = count - k;
    const end = Math.min(n - remaining, Math.max(start + 1, Math.round(n * (k / count) ** 2)));
    let sum = 0;
    for (let i = start; i < end; i++) sum += curve[i]!;
    xs.push((start + end + 1) / 2);
    ys.push(sum / (end - start));
    weights.push(end - start);
    start = end;
  }
  return { xs, ys, weights };
}

/**
 * Fits one family by bounded Levenberg–Marquardt from each of its starting points and keeps the best; the noise and
 * JᵀJ come from every observed epoch. Null when the curve has no more points than the family has parameters (no
 * residual degree of freedom) or no start gave a finite fit.
 */
export function fitCurveFamily(family: CurveFamily, options: FitCurveFamilyOptions): FittedCurveFamily | null {
  const { curve } = options;
  const n = curve.length;
  const m = family.params.length;
  if (n <= m) return null;
  const data = aggregate(curve, Math.max(options.maxPoints ?? 24, m + 1));
  let params: number[] | null = null;
  let bestSse = Infinity;
  for (const start of family.starts(options.summary)) {
    const fit = levenbergMarquardt({
      gradient: family.gradient,
      ...data,
      initial: start,
      lower: family.lower,
      upper: family.upper,
      maxIterations: options.maxIterations ?? 30,
      tolerance: options.tolerance ?? 1e-5,
    });
    if (fit.sse < bestSse) {
      bestSse = fit.sse;
      params = fit.params;
    }
  }
  if (params === null) return null;
  const fitted = params;
  const g = new Float64Array(m);
  const jtj = new Float64Array(m * m);
  let sse = 0;
  for (let i = 0; i < n; i++) {
    sse += (curve[i]! - family.gradient(i + 1, fitted, g)) ** 2;
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++)
        jtj[a * m + b] = jtj[a * m + b]! + (Number.isFinite(g[a]! * g[b]!) ? g[a]! * g[b]! : 0);
  }
  if (!Number.isFinite(sse)) return null;
  const noiseVariance = Math.max(sse / (n - m), 1e-10);
  // A small ridge keeps (JᵀJ)⁻¹ finite when a bound is active and a parameter has no influence.
  let trace = 0;
  for (let j = 0; j < m; j++) trace += jtj[j * m + j]!;
  for (let j = 0; j < m; j++) jtj[j * m + j] = jtj[j * m + j]! + 1e-9 * Math.max(trace, 1e-12);
  return {
    family,
    params: fitted,
    sse,
    noiseVariance,
    value: (x) => family.value(x, fitted),
    predictiveVariance: (x) => {
      const target = new Float64Array(m);
      family.gradient(x, fitted, target);
      for (let j = 0; j < m; j++) if (!Number.isFinite(target[j]!)) target[j] = 0;
      const solved = choleskySolve(jtj, target, m);
      let quad = 0;
      if (solved === null) quad = 1e6;
      else for (let j = 0; j < m; j++) quad += target[j]! * solved[j]!;
      const variance = noiseVariance * (1 + Math.max(0, quad));
      return Number.isFinite(variance) ? Math.min(variance, 1) : 1;
    },
  };
}
