import type { CurveForecast } from './curve-forecast';
import type { CurveScaleValue } from './curve-scale';
import type { ExtrapolationMethodValue } from './extrapolation-method';
import type { SurrogatePrior } from './surrogate-prior';

/** What every forecast needs besides the curve. */
export interface ForecastOptions {
  /** Epoch (1-based) to forecast; the curve's values are epochs 1..n, so it must be > n. */
  targetEpoch: number;
  /** Scale of the curve's values and of the forecast. */
  scale: CurveScaleValue;
  /** Architecture encoding of the run (e.g. the NB201 one-hot); required by extrapolators trained with encodings, ignored by others. */
  encoding?: readonly number[];
  /** A surrogate's prediction of the final value, in `scale`; required by extrapolators trained with priors (KERNEL_RIDGE_SURROGATE), ignored by others. */
  prior?: SurrogatePrior;
  /** The run's training-accuracy curve (value i is epoch i + 1, at least as long as the curve), in `scale`; required by extrapolators trained with training curves, ignored by others. */
  trainCurve?: readonly number[];
}

/**
 * The contract of every learning-curve extrapolator: a pure forecast of one partial curve. Models that learn from
 * curves are trained by their own factory (e.g. {@link trainLearnedExtrapolator}) and come back as an Extrapolator, so
 * a later tfjs / LC-PFN-style model only has to implement this.
 */
export interface Extrapolator {
  /** How this extrapolator makes forecasts. */
  readonly method: ExtrapolationMethodValue;
  /** Forecast of the value at `options.targetEpoch`; throws INVALID_CURVE / LIMIT_EXCEEDED for bad input. */
  forecast(curve: readonly number[], options: ForecastOptions): CurveForecast;
}
