import { ErrorCode, NashubError } from '../../core';
import { scaleMaximum, type CurveScaleValue } from './curve-scale';

/** The longest curve a forecast accepts by default (a 1,000,000-point curve is refused with LIMIT_EXCEEDED). */
export const MAX_CURVE_LENGTH = 100_000;

/** The farthest target epoch a forecast accepts by default. */
export const MAX_TARGET_EPOCH = 1_000_000;

/** Options of {@link validateCurve}. */
export interface ValidateCurveOptions {
  /** Epoch to forecast; must be an integer greater than the curve's length. */
  targetEpoch: number;
  /** Scale the values must lie in. */
  scale: CurveScaleValue;
  /** Longest accepted curve (default {@link MAX_CURVE_LENGTH}). */
  maxLength?: number;
  /** Farthest accepted target epoch (default {@link MAX_TARGET_EPOCH}). */
  maxTargetEpoch?: number;
}

function invalidCurve(message: string, details: Record<string, unknown>): NashubError {
  return new NashubError(ErrorCode.INVALID_CURVE, message, { details });
}

function limitExceeded(limit: string, max: number, actual: number): NashubError {
  return new NashubError(ErrorCode.LIMIT_EXCEEDED, `${limit} limit exceeded: ${actual} > ${max}`, {
    details: { limit, max, actual },
  });
}

/**
 * Checks a partial curve and its target, and returns the values as fractions in [0, 1]. Throws INVALID_CURVE (with a
 * `reason` in its details) for an empty curve, a non-finite value, a value outside the scale, or a target epoch that is
 * not an integer after the curve; LIMIT_EXCEEDED for a curve or target beyond the limits.
 */
export function validateCurve(curve: readonly number[], options: ValidateCurveOptions): number[] {
  const maxLength = options.maxLength ?? MAX_CURVE_LENGTH;
  const maxTargetEpoch = options.maxTargetEpoch ?? MAX_TARGET_EPOCH;
  if (!Array.isArray(curve) || curve.length === 0) throw invalidCurve('the curve is empty', { reason: 'empty' });
  if (curve.length > maxLength) throw limitExceeded('maxCurveLength', maxLength, curve.length);
  const { targetEpoch } = options;
  if (!Number.isInteger(targetEpoch) || targetEpoch < 1) {
    throw invalidCurve(`targetEpoch must be a positive integer, got ${targetEpoch}`, {
      reason: 'bad-target-epoch',
      targetEpoch,
    });
  }
  if (targetEpoch > maxTargetEpoch) throw limitExceeded('maxTargetEpoch', maxTargetEpoch, targetEpoch);
  if (targetEpoch <= curve.length) {
    throw invalidCurve(`targetEpoch ${targetEpoch} must be after the curve's last epoch ${curve.length}`, {
      reason: 'target-not-after-curve',
      targetEpoch,
      length: curve.length,
    });
  }
  const maximum = scaleMaximum(options.scale);
  const fractions = new Array<number>(curve.length);
  for (let i = 0; i < curve.length; i++) {
    const value = curve[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalidCurve(`curve[${i}] is not a finite number`, { reason: 'not-finite', index: i });
    }
    if (value < 0 || value > maximum) {
      throw invalidCurve(`curve[${i}] = ${value} is outside the ${options.scale} scale [0, ${maximum}]`, {
        reason: 'out-of-scale',
        index: i,
        scale: options.scale,
      });
    }
    fractions[i] = value / maximum;
  }
  return fractions;
}
