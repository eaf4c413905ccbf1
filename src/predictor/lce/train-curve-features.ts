import { ErrorCode, NashubError } from '../../core';
import { curveFeatures } from './curve-features';
import { scaleMaximum, type CurveScaleValue } from './curve-scale';

/** Columns {@link trainCurveFeatures} adds to a feature row. */
export const TRAIN_CURVE_COLUMNS = 3;

/**
 * Checks a run's training-accuracy curve and returns its first `length` values (the epochs of the partial validation
 * curve) in fractions; INVALID_ARGUMENT (details `argument`) when absent, too short, not finite or outside the scale.
 */
export function trainCurveFraction(
  trainCurve: readonly number[] | undefined,
  length: number,
  scale: CurveScaleValue,
  argument: string,
): number[] {
  const maximum = scaleMaximum(scale);
  const head = trainCurve?.slice(0, length) ?? [];
  if (head.length < length || head.some((v) => !Number.isFinite(v) || v < 0 || v > maximum)) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `${argument} needs the training accuracy of every observed epoch, within the scale`,
      { details: { argument, length } },
    );
  }
  return head.map((v) => v / maximum);
}

/**
 * Features of the training-accuracy curve over the observed epochs, on the logit scale: the means of its two halves
 * and the last one minus `validLast` (the validation curve's last window mean): how far the run still underfits,
 * which under a cosine schedule tells how much it will gain late, when the learning rate anneals.
 */
export function trainCurveFeatures(trainFractions: readonly number[], validLast: number): number[] {
  const halves = curveFeatures(trainFractions, 2);
  return [halves[0]!, halves[1]!, halves[1]! - validLast];
}
