import type { CurveForecast } from './curve-forecast';
import { normalCdf } from './math/normal-cdf';

/** z of the 95% quantile of a standard normal. */
const Z95 = 1.6448536269514722;

/**
 * P(final > value) read off a forecast's 5/50/95% quantiles: a two-piece normal that matches all three (σ below the
 * median from q50 − q05, above it from q95 − q50), so any extrapolator's forecast can be used. A point forecast
 * (zero spread on the relevant side) gives 1 or 0.
 */
export function probabilityAbove(forecast: CurveForecast, value: number): number {
  const { q05, q50, q95 } = forecast;
  if (value < q50) {
    const sigma = (q50 - q05) / Z95;
    return sigma > 0 ? normalCdf((q50 - value) / sigma) : 1;
  }
  const sigma = (q95 - q50) / Z95;
  return sigma > 0 ? 1 - normalCdf((value - q50) / sigma) : 0;
}
