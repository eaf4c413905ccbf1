import { ExtrapolationMethod } from './extrapolation-method';
import type { Extrapolator } from './extrapolator';
import { validateCurve } from './validate-curve';

/** Baseline: the final value is the best observed value, a point forecast (all quantiles equal). */
export function createBestSoFarExtrapolator(): Extrapolator {
  return {
    method: ExtrapolationMethod.BEST_SO_FAR,
    forecast(curve, options) {
      validateCurve(curve, options);
      const value = curve.reduce((a, b) => Math.max(a, b), -Infinity);
      return { mean: value, q05: value, q50: value, q95: value, method: ExtrapolationMethod.BEST_SO_FAR };
    },
  };
}
