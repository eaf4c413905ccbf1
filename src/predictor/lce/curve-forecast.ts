import type { ExtrapolationMethodValue } from './extrapolation-method';

/** Where a partial curve is expected to be at the target epoch, in the curve's own scale. */
export interface CurveForecast {
  /** Mean of the forecast distribution. */
  mean: number;
  /** 5% quantile. */
  q05: number;
  /** Median. */
  q50: number;
  /** 95% quantile. */
  q95: number;
  /** How the forecast was made. */
  method: ExtrapolationMethodValue;
}
