import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core';
import { CurveScale } from './curve-scale';
import { MAX_CURVE_LENGTH, validateCurve } from './validate-curve';

const percent = { targetEpoch: 200, scale: CurveScale.PERCENT };

function codeAndReason(run: () => unknown): { code: unknown; reason: unknown } {
  try {
    run();
  } catch (error) {
    const e = error as { code?: unknown; details?: { reason?: unknown } };
    return { code: e.code, reason: e.details?.reason };
  }
  return { code: 'none', reason: 'none' };
}

describe('validateCurve', () => {
  it('returns fractions for both scales', () => {
    expect(validateCurve([10, 50, 100], percent)).toEqual([0.1, 0.5, 1]);
    expect(validateCurve([0.1, 0.5], { targetEpoch: 3, scale: CurveScale.FRACTION })).toEqual([0.1, 0.5]);
  });

  it.each([
    ['an empty curve', [] as number[], percent, 'empty'],
    ['NaN', [10, Number.NaN, 30], percent, 'not-finite'],
    ['Infinity', [10, Number.POSITIVE_INFINITY], percent, 'not-finite'],
    ['a percent above 100', [10, 100.5], percent, 'out-of-scale'],
    ['a negative value', [-1, 10], percent, 'out-of-scale'],
    ['a fraction above 1', [0.2, 45], { targetEpoch: 200, scale: CurveScale.FRACTION }, 'out-of-scale'],
    [
      'a curve as long as the target',
      [1, 2, 3],
      { targetEpoch: 3, scale: CurveScale.PERCENT },
      'target-not-after-curve',
    ],
    [
      'a curve longer than the target',
      [1, 2, 3, 4],
      { targetEpoch: 3, scale: CurveScale.PERCENT },
      'target-not-after-curve',
    ],
    ['a target of 0', [1], { targetEpoch: 0, scale: CurveScale.PERCENT }, 'bad-target-epoch'],
    ['a fractional target', [1], { targetEpoch: 2.5, scale: CurveScale.PERCENT }, 'bad-target-epoch'],
  ])('rejects %s with INVALID_CURVE', (_name, curve, options, reason) => {
    expect(codeAndReason(() => validateCurve(curve, options))).toEqual({ code: ErrorCode.INVALID_CURVE, reason });
  });

  it('refuses a 1,000,000-point curve and a far target with LIMIT_EXCEEDED', () => {
    const long = new Array<number>(1_000_000).fill(50);
    expect(() => validateCurve(long, { targetEpoch: 2_000_000, scale: CurveScale.PERCENT })).toThrow(
      expect.objectContaining({ code: ErrorCode.LIMIT_EXCEEDED }),
    );
    expect(() =>
      validateCurve(new Array<number>(MAX_CURVE_LENGTH).fill(50), {
        targetEpoch: MAX_CURVE_LENGTH + 1,
        scale: CurveScale.PERCENT,
      }),
    ).not.toThrow();
    expect(() => validateCurve([50], { targetEpoch: 10_000_000, scale: CurveScale.PERCENT })).toThrow(
      expect.objectContaining({ code: ErrorCode.LIMIT_EXCEEDED }),
    );
  });
});
