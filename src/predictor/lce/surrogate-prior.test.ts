import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core';
import { CurveScale } from './curve-scale';
import { ExtrapolationMethod } from './extrapolation-method';
import { trainLearnedExtrapolator } from './learned-extrapolator';
import { restoreLearnedExtrapolator } from './learned-extrapolator-state';

/** Curves that look alike for 20 epochs and then end at 80 or 90, with a noisy prior that knows which. */
const curves = Array.from({ length: 40 }, (_, i) => {
  const plateau = i % 2 === 0 ? 80 : 90;
  return Array.from(
    { length: 100 },
    (_, x) => (x < 20 ? 40 + x : plateau - (plateau - 60) * Math.exp(-(x - 20) / 10)) + Math.sin(i * 7 + x) * 0.3,
  );
});
const priors = curves.map((c, i) => ({ mean: c[c.length - 1]! + Math.sin(i * 3) * 1.5, std: 1.5 }));
const options = { targetEpoch: 100, scale: CurveScale.PERCENT };

describe('trainLearnedExtrapolator with surrogate priors', () => {
  const model = trainLearnedExtrapolator({ curves, priors, scale: CurveScale.PERCENT, fractions: [0.2], seed: 2 });

  it('learns to follow the prior where the curve cannot tell', () => {
    expect(model.method).toBe(ExtrapolationMethod.KERNEL_RIDGE_SURROGATE);
    const partial = curves[0]!.slice(0, 20);
    const low = model.forecast(partial, { ...options, prior: { mean: 80, std: 1.5 } });
    const high = model.forecast(partial, { ...options, prior: { mean: 90, std: 1.5 } });
    expect(high.q50 - low.q50).toBeGreaterThan(5);
    expect(Math.abs(low.q50 - 80)).toBeLessThan(2.5);
    expect(low.q05).toBeLessThanOrEqual(low.q50);
    expect(low.q50).toBeLessThanOrEqual(low.q95);
    // Fractions in, fractions out: the prior is read in the forecast's scale.
    const fraction = model.forecast(
      partial.map((v) => v / 100),
      { targetEpoch: 100, scale: CurveScale.FRACTION, prior: { mean: 0.8, std: 0.015 } },
    );
    expect(fraction.q50).toBeCloseTo(low.q50 / 100, 10);
  });

  it('restores from JSON with identical forecasts, and reads states stored before priors as prior-free', () => {
    const restored = restoreLearnedExtrapolator(JSON.parse(JSON.stringify(model.toJSON())));
    for (const n of [1, 10, 20, 35]) {
      const prior = { mean: 84, std: 2 };
      expect(restored.forecast(curves[3]!.slice(0, n), { ...options, prior })).toEqual(
        model.forecast(curves[3]!.slice(0, n), { ...options, prior }),
      );
    }
    expect(restored.toJSON()).toEqual(model.toJSON());
    const plain = trainLearnedExtrapolator({ curves, scale: CurveScale.PERCENT, fractions: [0.2] }).toJSON();
    expect(plain.usesPrior).toBeUndefined();
    expect(restoreLearnedExtrapolator(plain).forecast(curves[0]!.slice(0, 20), options).method).toBe(
      ExtrapolationMethod.KERNEL_RIDGE,
    );
  });

  it('rejects missing or bad priors and malformed states with INVALID_ARGUMENT', () => {
    const partial = curves[0]!.slice(0, 20);
    const codes = [
      () => model.forecast(partial, options),
      () => model.forecast(partial, { ...options, prior: { mean: 120, std: 1 } }),
      () => model.forecast(partial, { ...options, prior: { mean: 80, std: -1 } }),
      () => model.forecast(partial, { ...options, prior: { mean: Number.NaN, std: 1 } }),
      () => trainLearnedExtrapolator({ curves, priors, kernel: false, scale: CurveScale.PERCENT }),
      () => trainLearnedExtrapolator({ curves, priors: priors.slice(1), scale: CurveScale.PERCENT }),
      () => restoreLearnedExtrapolator({ ...model.toJSON(), usesPrior: false }),
      () => restoreLearnedExtrapolator({ ...model.toJSON(), usesPrior: 'yes' }),
    ].map((run) => {
      try {
        run();
        return 'none';
      } catch (error) {
        return (error as { code?: unknown }).code;
      }
    });
    expect(codes).toEqual(codes.map(() => ErrorCode.INVALID_ARGUMENT));
  });
});
