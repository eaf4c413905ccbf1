import { ExtrapolationMethod } from './extrapolation-method';
import type { Extrapolator } from './extrapolator';
import { validateCurve } from './validate-curve';

/** Baseline: the final value is the last observed value, a point forecast (all quantiles equal). */
export function createLastValueExtrapolator(): Extrapolator {
  return {
    method: ExtrapolationMethod.LAST_VALUE,
    forecast(curve, options) {
      validateCurve(curve, options);
      const value = curve[curve.length - 1]!;
      return { mean: value, q05: value, q50: value, q95: value, method: ExtrapolationMethod.LAST_VALUE };
    },
  };
}
