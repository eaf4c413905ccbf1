import { ErrorCode, NashubError } from '../../core';
import { scaleMaximum, type CurveScaleValue } from './curve-scale';
import { logit } from './math/logit';

/**
 * A prediction of a run's final value made before looking at its curve, e.g. an architecture surrogate's (ENSEMBLE)
 * mean and spread, in the curve's scale. The learned extrapolator takes it as features and learns, per observed
 * fraction, how far to trust it against the curve.
 */
export interface SurrogatePrior {
  /** Predicted final value, in the curve's scale. */
  mean: number;
  /** Spread of that prediction (about 1σ), in the curve's scale; ≥ 0. */
  std: number;
}

/** Columns {@link surrogatePriorFeatures} adds to a feature row. */
export const SURROGATE_PRIOR_COLUMNS = 3;

/** Smallest std (as a fraction of the scale) the logit-scale std is computed from, so a zero spread stays finite. */
const MIN_STD = 1e-3;

/** Checks a prior and returns it in fractions; INVALID_ARGUMENT (details `argument`) when absent or malformed. */
export function priorFraction(
  prior: SurrogatePrior | undefined,
  scale: CurveScaleValue,
  argument: string,
): SurrogatePrior {
  const maximum = scaleMaximum(scale);
  if (
    prior === undefined ||
    !Number.isFinite(prior.mean) ||
    !Number.isFinite(prior.std) ||
    prior.std < 0 ||
    prior.mean < 0 ||
    prior.mean > maximum
  ) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `${argument} needs a prior { mean, std } with mean within the scale and std ≥ 0`,
      { details: { argument } },
    );
  }
  return { mean: prior.mean / maximum, std: prior.std / maximum };
}

/**
 * The prior's features, on the logit scale like the curve's: its mean, its std mapped through the logit's slope at the
 * mean (delta method), and its mean minus `base` (the curve's level feature), so a linear model can weigh "where the
 * surrogate says" against "where the curve is" and the kernel can see how far apart they are.
 */
export function surrogatePriorFeatures(prior: SurrogatePrior, base: number): number[] {
  const z = logit(prior.mean);
  const p = 1 / (1 + Math.exp(-z));
  return [z, Math.log(Math.max(prior.std, MIN_STD) / (p * (1 - p))), z - base];
}
