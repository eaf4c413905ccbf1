import type { CurveFamily, CurveSummary } from './curve-family';
import { CURVE_FAMILIES } from './curve-families';
import type { CurveForecast } from './curve-forecast';
import { ExtrapolationMethod } from './extrapolation-method';
import type { Extrapolator, ForecastOptions } from './extrapolator';
import { fitCurveFamily, type FittedCurveFamily } from './fit-curve-family';
import { normalMixtureQuantile, type NormalComponent } from './math/normal-mixture';
import { scaleForecast } from './scale-forecast';
import { validateCurve } from './validate-curve';
import { wideForecast } from './wide-forecast';

/** How the ensemble weighs its families. */
export const FamilyWeighting = {
  /** Softmax of the BIC: −(n/2)·ln(SSE/n) − (p/2)·ln n on the whole observed curve. */
  BIC: 'BIC',
  /** Softmax of −(h/2)·ln(MSE) of a fit on the first part predicting the last `holdoutFraction` of the curve. */
  HOLDOUT: 'HOLDOUT',
} as const;

/** One of {@link FamilyWeighting}'s values. */
export type FamilyWeightingValue = (typeof FamilyWeighting)[keyof typeof FamilyWeighting];

/** Options of {@link createParametricEnsemble}. */
export interface ParametricEnsembleOptions {
  /** Families to fit (default the eight of Domhan et al.). */
  families?: readonly CurveFamily[];
  /** How families are weighted (default BIC: HOLDOUT costs a second fit and was no better on NB201, see README). */
  weighting?: FamilyWeightingValue;
  /** Part of the observed epochs held out for HOLDOUT weighting (default 0.2). */
  holdoutFraction?: number;
  /** Multiplies every family's predictive standard deviation: 1 leaves the delta-method σ as is (default 1). */
  sigmaScale?: number;
  /** Levenberg–Marquardt iterations per starting point (default 30). */
  maxIterations?: number;
}

/** Fewest observed epochs the ensemble fits; shorter curves get {@link wideForecast}. */
export const MIN_FIT_POINTS = 3;

function summarise(ys: readonly number[]): CurveSummary {
  const tail = ys.slice(Math.max(0, ys.length - 3));
  return {
    first: ys[0]!,
    last: tail.reduce((a, b) => a + b, 0) / tail.length,
    best: ys.reduce((a, b) => Math.max(a, b), 0),
    length: ys.length,
  };
}

function fitAll(families: readonly CurveFamily[], ys: readonly number[], maxIterations: number): FittedCurveFamily[] {
  const summary = summarise(ys);
  const fits: FittedCurveFamily[] = [];
  for (const family of families) {
    const fit = fitCurveFamily(family, { curve: ys, summary, maxIterations });
    if (fit) fits.push(fit);
  }
  return fits;
}

function softmax(logits: readonly number[]): number[] {
  const top = Math.max(...logits);
  const e = logits.map((l) => (Number.isFinite(l) ? Math.exp(l - top) : 0));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

function holdoutLogWeights(
  fits: readonly FittedCurveFamily[],
  ys: readonly number[],
  options: Required<Omit<ParametricEnsembleOptions, 'families'>>,
): number[] {
  const h = Math.max(1, Math.round(ys.length * options.holdoutFraction));
  const head = ys.slice(0, ys.length - h);
  const headFits = fitAll(
    fits.map((f) => f.family),
    head,
    options.maxIterations,
  );
  return fits.map((fit) => {
    const headFit = headFits.find((f) => f.family === fit.family);
    if (!headFit) return -Infinity;
    let sse = 0;
    for (let i = ys.length - h; i < ys.length; i++) sse += (ys[i]! - headFit.value(i + 1)) ** 2;
    return -(h / 2) * Math.log(Math.max(sse / h, 1e-12));
  });
}

/**
 * Domhan et al. (2015)'s ensemble without MCMC: each family is fitted by bounded Levenberg–Marquardt, weighted by its
 * fit, and contributes a normal with its delta-method predictive variance; the forecast is that mixture, kept inside
 * the scale. Needs no training data.
 */
export function createParametricEnsemble(options: ParametricEnsembleOptions = {}): Extrapolator {
  const families = options.families ?? CURVE_FAMILIES;
  const settings = {
    weighting: options.weighting ?? FamilyWeighting.BIC,
    holdoutFraction: options.holdoutFraction ?? 0.2,
    sigmaScale: options.sigmaScale ?? 1,
    maxIterations: options.maxIterations ?? 30,
  };
  const method = ExtrapolationMethod.PARAMETRIC_ENSEMBLE;
  return {
    method,
    forecast(curve: readonly number[], forecastOptions: ForecastOptions): CurveForecast {
      const ys = validateCurve(curve, forecastOptions);
      if (ys.length < MIN_FIT_POINTS) return scaleForecast(wideForecast(ys, method), forecastOptions.scale);
      const fits = fitAll(families, ys, settings.maxIterations);
      if (fits.length === 0) return scaleForecast(wideForecast(ys, method), forecastOptions.scale);
      const useHoldout = settings.weighting === FamilyWeighting.HOLDOUT && ys.length >= 2 * MIN_FIT_POINTS + 2;
      const logWeights = useHoldout
        ? holdoutLogWeights(fits, ys, settings)
        : fits.map(
            (f) =>
              -(ys.length / 2) * Math.log(Math.max(f.sse / ys.length, 1e-12)) -
              (f.family.params.length / 2) * Math.log(ys.length),
          );
      const weights = logWeights.some(Number.isFinite) ? softmax(logWeights) : fits.map(() => 1 / fits.length);
      const target = forecastOptions.targetEpoch;
      const components: NormalComponent[] = [];
      fits.forEach((fit, k) => {
        const mean = fit.value(target);
        if (weights[k]! === 0 || !Number.isFinite(mean)) return;
        const std = Math.sqrt(fit.predictiveVariance(target)) * settings.sigmaScale;
        components.push({ weight: weights[k]!, mean: Math.min(1, Math.max(0, mean)), std });
      });
      if (components.length === 0) return scaleForecast(wideForecast(ys, method), forecastOptions.scale);
      const total = components.reduce((a, c) => a + c.weight, 0);
      for (const c of components) c.weight /= total;
      const forecast: CurveForecast = {
        mean: components.reduce((a, c) => a + c.weight * c.mean, 0),
        q05: normalMixtureQuantile(components, 0.05, 0, 1),
        q50: normalMixtureQuantile(components, 0.5, 0, 1),
        q95: normalMixtureQuantile(components, 0.95, 0, 1),
        method,
      };
      return scaleForecast(forecast, forecastOptions.scale);
    },
  };
}
