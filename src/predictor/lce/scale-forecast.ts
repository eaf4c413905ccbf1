import type { CurveForecast } from './curve-forecast';
import { scaleMaximum, type CurveScaleValue } from './curve-scale';

/** A forecast made in fractions, written in the caller's scale. */
export function scaleForecast(forecast: CurveForecast, scale: CurveScaleValue): CurveForecast {
  const k = scaleMaximum(scale);
  return {
    mean: forecast.mean * k,
    q05: forecast.q05 * k,
    q50: forecast.q50 * k,
    q95: forecast.q95 * k,
    method: forecast.method,
  };
}
