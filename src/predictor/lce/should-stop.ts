import { ErrorCode, NashubError } from '../../core';
import type { CurveForecast } from './curve-forecast';
import type { Extrapolator, ForecastOptions } from './extrapolator';
import { createParametricEnsemble } from './parametric-ensemble';
import { probabilityAbove } from './probability-above';

/** Options of {@link shouldStop}. */
export interface ShouldStopOptions extends ForecastOptions {
  /** The extrapolator to forecast with (default a {@link createParametricEnsemble} with default options). */
  extrapolator?: Extrapolator;
}

/** What {@link shouldStop} decided, with the numbers behind it (for the trainer's log). */
export interface StopDecision {
  /** True when the run is unlikely to beat the best: P(final > best) < threshold. */
  stop: boolean;
  /** P(final > bestFinalSoFar) under the forecast; 1 when there is no best yet. */
  probabilityOfImprovement: number;
  /** The forecast at the target epoch. */
  forecast: CurveForecast;
}

/**
 * The early-stopping rule for the trainer (Domhan et al. 2015, sec. 3.3): forecast the partial curve's value at the
 * target epoch and stop when the probability that it ends above the best final value so far is below `threshold`
 * (e.g. 0.05). `bestFinalSoFar` is in the curve's scale, null before any run has finished (never stops then). Pure:
 * the same inputs give the same decision. Bad curves throw INVALID_CURVE / LIMIT_EXCEEDED, a bad threshold or best
 * INVALID_ARGUMENT.
 */
export function shouldStop(
  partialCurve: readonly number[],
  bestFinalSoFar: number | null,
  threshold: number,
  options: ShouldStopOptions,
): StopDecision {
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `threshold must be in [0, 1], got ${threshold}`, {
      details: { argument: 'threshold' },
    });
  }
  if (bestFinalSoFar !== null && !Number.isFinite(bestFinalSoFar)) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `bestFinalSoFar must be finite, got ${bestFinalSoFar}`, {
      details: { argument: 'bestFinalSoFar' },
    });
  }
  const extrapolator = options.extrapolator ?? createParametricEnsemble();
  const forecast = extrapolator.forecast(partialCurve, { targetEpoch: options.targetEpoch, scale: options.scale });
  const probabilityOfImprovement = bestFinalSoFar === null ? 1 : probabilityAbove(forecast, bestFinalSoFar);
  return { stop: probabilityOfImprovement < threshold, probabilityOfImprovement, forecast };
}
