import type { CurveForecast } from './curve-forecast';
import type { ExtrapolationMethodValue } from './extrapolation-method';

/**
 * The forecast of a curve too short to fit: uniform between its lowest observed value and the top of the scale (a
 * curve rarely ends below where it has already been), in fractions.
 */
export function wideForecast(fractions: readonly number[], method: ExtrapolationMethodValue): CurveForecast {
  const lo = fractions.reduce((a, b) => Math.min(a, b), 1);
  const at = (p: number): number => lo + (1 - lo) * p;
  return { mean: at(0.5), q05: at(0.05), q50: at(0.5), q95: at(0.95), method };
}
