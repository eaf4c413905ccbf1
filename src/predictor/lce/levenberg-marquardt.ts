import { choleskySolve } from './math/cholesky-solve';

/*
 * Porting note: `ml-levenberg-marquardt` (mljs, 5.1) was the maintained npm candidate; we keep this small solver
 * instead because the ensemble needs analytic gradients (the numeric Jacobian of that package costs p + 1 model passes
 * per iteration) and JᵀJ at the solution for the delta-method variance, which it does not return, and it would bring
 * `ml-matrix` for 4×4 systems.
 */

/** Options of {@link levenbergMarquardt}. */
export interface LevenbergMarquardtOptions {
  /** Writes ∂f/∂p at `x` into `g` and returns f(x; p); may return a non-finite value for bad parameters. */
  gradient: (x: number, p: readonly number[], g: Float64Array) => number;
  /** Abscissae of the data. */
  xs: readonly number[];
  /** Ordinates of the data, one per abscissa. */
  ys: readonly number[];
  /** Weight of each squared residual (e.g. the number of raw points a window mean stands for); default all 1. */
  weights?: readonly number[];
  /** Starting parameters; clamped into the box first. */
  initial: readonly number[];
  /** Lower bound of each parameter. */
  lower: readonly number[];
  /** Upper bound of each parameter. */
  upper: readonly number[];
  /** Outer iterations at most (default 100). */
  maxIterations?: number;
  /** Stop when an accepted step lowers the squared error by less than this fraction (default 1e-7). */
  tolerance?: number;
}

/** What {@link levenbergMarquardt} found. */
export interface LevenbergMarquardtResult {
  /** Best parameters found, inside the box. */
  params: number[];
  /** Weighted sum of squared residuals at `params`; Infinity when the model was never finite there. */
  sse: number;
  /** Outer iterations run. */
  iterations: number;
}

/** Residuals, Jacobian-derived normal equations and SSE at one parameter vector. */
interface Linearisation {
  sse: number;
  jtj: Float64Array;
  jtr: Float64Array;
}

function linearise(options: LevenbergMarquardtOptions, p: readonly number[], withNormal: boolean): Linearisation {
  const m = p.length;
  const g = new Float64Array(m);
  const jtj = new Float64Array(withNormal ? m * m : 0);
  const jtr = new Float64Array(withNormal ? m : 0);
  let sse = 0;
  for (let i = 0; i < options.xs.length; i++) {
    const w = options.weights ? options.weights[i]! : 1;
    const r = options.ys[i]! - options.gradient(options.xs[i]!, p, g);
    sse += w * r * r;
    if (!withNormal) continue;
    for (let a = 0; a < m; a++) {
      const ga = Number.isFinite(g[a]!) ? g[a]! : 0;
      jtr[a] = jtr[a]! + w * ga * r;
      for (let b = 0; b <= a; b++) jtj[a * m + b] = jtj[a * m + b]! + w * ga * (Number.isFinite(g[b]!) ? g[b]! : 0);
    }
  }
  for (let a = 0; a < (withNormal ? m : 0); a++) for (let b = a + 1; b < m; b++) jtj[a * m + b] = jtj[b * m + a]!;
  return { sse: Number.isFinite(sse) ? sse : Infinity, jtj, jtr };
}

/**
 * Bounded nonlinear least squares: Levenberg–Marquardt with Marquardt's diagonal scaling, every trial point projected
 * onto the parameter box, and the damping raised until a step lowers the squared error.
 */
export function levenbergMarquardt(options: LevenbergMarquardtOptions): LevenbergMarquardtResult {
  const { lower, upper, maxIterations = 100, tolerance = 1e-7 } = options;
  const m = options.initial.length;
  const clamp = (p: readonly number[]): number[] => p.map((v, j) => Math.min(upper[j]!, Math.max(lower[j]!, v)));
  let p = clamp(options.initial);
  let current = linearise(options, p, true);
  let lambda = 1e-3;
  let iterations = 0;
  for (; iterations < maxIterations && current.sse < Infinity; iterations++) {
    let accepted = false;
    for (let attempt = 0; attempt < 10 && !accepted; attempt++) {
      const damped = current.jtj.slice();
      for (let j = 0; j < m; j++) damped[j * m + j] = current.jtj[j * m + j]! * (1 + lambda) + lambda * 1e-9;
      const step = choleskySolve(damped, current.jtr, m);
      if (step === null) {
        lambda *= 10;
        continue;
      }
      const trial = clamp(p.map((v, j) => v + step[j]!));
      const trialSse = linearise(options, trial, false).sse;
      if (trialSse < current.sse) {
        const improvement = (current.sse - trialSse) / Math.max(current.sse, 1e-300);
        p = trial;
        current = linearise(options, p, true);
        lambda = Math.max(lambda / 3, 1e-12);
        accepted = true;
        if (improvement < tolerance) return { params: p, sse: current.sse, iterations: iterations + 1 };
      } else {
        lambda *= 4;
      }
    }
    if (!accepted) break;
  }
  return { params: p, sse: current.sse, iterations };
}
