import { ErrorCode, NashubError } from '../../core';
import { scaleMaximum, type CurveScaleValue } from './curve-scale';
import type { Extrapolator } from './extrapolator';
import { empiricalQuantile } from './math/empirical-quantile';

/** Options of {@link conformalizeExtrapolator}. */
export interface ConformalizeOptions {
  /** The extrapolator whose 5–95% interval is recalibrated. */
  base: Extrapolator;
  /** Complete calibration curves (not the ones it will be judged on); each one's last value is its final value. */
  curves: readonly (readonly number[])[];
  /** Scale of the calibration curves. */
  scale: CurveScaleValue;
  /** Observed parts of the schedule to calibrate at; forecasts in between interpolate the factor. */
  fractions: readonly number[];
}

/**
 * Smallest interval half-width a factor is measured against and applied to, as a share of the scale, so that point
 * forecasts (the baselines) get an interval too: for them the factor is a quantile of absolute residuals.
 */
const MIN_HALF_WIDTH = 1e-3;

function stretchFactors(options: ConformalizeOptions, fraction: number): number {
  const floor = MIN_HALF_WIDTH * scaleMaximum(options.scale);
  const factors = options.curves.map((curve) => {
    const observed = Math.min(curve.length - 1, Math.max(1, Math.round(fraction * curve.length)));
    const f = options.base.forecast(curve.slice(0, observed), { targetEpoch: curve.length, scale: options.scale });
    const final = curve[curve.length - 1]!;
    return final >= f.q50
      ? (final - f.q50) / Math.max(f.q95 - f.q50, floor)
      : (f.q50 - final) / Math.max(f.q50 - f.q05, floor);
  });
  factors.sort((a, b) => a - b);
  // Split-conformal level: the ⌈0.9(n + 1)⌉-th smallest factor covers a new curve with probability ≥ 0.9.
  const rank = Math.min(factors.length, Math.ceil(0.9 * (factors.length + 1)));
  return empiricalQuantile(factors, (rank - 1) / Math.max(1, factors.length - 1));
}

/**
 * Recalibrates any extrapolator's 5–95% interval by split conformal prediction on calibration curves: per observed
 * fraction, the factor by which the interval around the median must stretch (or shrink) so that 90% of the
 * calibration finals fall inside. The median and mean stay the base's, so accuracy and ranking do not change; only
 * the interval (and hence `shouldStop`) does. Needs complete curves of the same protocol, like the learned methods.
 * The method stays the base's: calibration changes the interval, not how the forecast was made.
 */
export function conformalizeExtrapolator(options: ConformalizeOptions): Extrapolator {
  if (options.curves.length < 10 || options.fractions.length === 0) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      'conformal calibration needs at least 10 curves and one fraction',
      { details: { argument: 'curves' } },
    );
  }
  const calibration = [...options.fractions]
    .sort((a, b) => a - b)
    .map((fraction) => ({ fraction, factor: stretchFactors(options, fraction) }));
  const factorAt = (fraction: number): number => {
    const upper = calibration.findIndex((c) => c.fraction >= fraction);
    if (upper === 0) return calibration[0]!.factor;
    if (upper === -1) return calibration[calibration.length - 1]!.factor;
    const lo = calibration[upper - 1]!;
    const hi = calibration[upper]!;
    return lo.factor + ((fraction - lo.fraction) / (hi.fraction - lo.fraction)) * (hi.factor - lo.factor);
  };
  return {
    method: options.base.method,
    forecast(curve, forecastOptions) {
      const f = options.base.forecast(curve, forecastOptions);
      const factor = factorAt(curve.length / forecastOptions.targetEpoch);
      const maximum = scaleMaximum(forecastOptions.scale);
      const floor = MIN_HALF_WIDTH * maximum;
      return {
        ...f,
        q05: Math.max(0, f.q50 - factor * Math.max(f.q50 - f.q05, floor)),
        q95: Math.min(maximum, f.q50 + factor * Math.max(f.q95 - f.q50, floor)),
      };
    },
  };
}
