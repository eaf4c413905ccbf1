import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core';
import { syntheticPopulation } from '../../../test/support/synthetic-curves';
import { CurveScale } from './curve-scale';
import { ExtrapolationMethod } from './extrapolation-method';
import { trainLearnedExtrapolator } from './learned-extrapolator';

describe('trainLearnedExtrapolator', () => {
  const population = syntheticPopulation(80, 100, 11);
  const train = population.slice(0, 60);
  const test = population.slice(60);

  for (const kernel of [false, true]) {
    it(`${kernel ? 'kernel ridge' : 'ridge'} forecasts held-out finals with ordered, mostly covering quantiles`, () => {
      const model = trainLearnedExtrapolator({
        curves: train,
        scale: CurveScale.PERCENT,
        fractions: [0.1, 0.2, 0.4],
        kernel,
        seed: 1,
      });
      expect(model.method).toBe(kernel ? ExtrapolationMethod.KERNEL_RIDGE : ExtrapolationMethod.RIDGE);
      let absError = 0;
      let covered = 0;
      for (const curve of test) {
        const final = curve[curve.length - 1]!;
        // 0.3 lies between two trained fractions, so this also exercises the interpolation.
        const forecast = model.forecast(curve.slice(0, 30), { targetEpoch: 100, scale: CurveScale.PERCENT });
        expect(forecast.q05).toBeLessThanOrEqual(forecast.q50);
        expect(forecast.q50).toBeLessThanOrEqual(forecast.q95);
        absError += Math.abs(forecast.q50 - final);
        if (forecast.q05 <= final && final <= forecast.q95) covered++;
      }
      expect(absError / test.length).toBeLessThan(3);
      expect(covered / test.length).toBeGreaterThanOrEqual(0.7);
    });
  }

  it('returns a wide interval for a one-point curve far before the first trained fraction', () => {
    const model = trainLearnedExtrapolator({
      curves: train,
      scale: CurveScale.PERCENT,
      fractions: [0.2],
      kernel: false,
    });
    const forecast = model.forecast([25], { targetEpoch: 100, scale: CurveScale.PERCENT });
    expect(forecast.q95 - forecast.q05).toBeGreaterThan(50);
  });

  it('with encodings, uses the architecture and asks for it at forecast time', () => {
    // Two "architectures" whose curves look alike early but end 10 points apart.
    const curves = Array.from({ length: 40 }, (_, i) => {
      const plateau = i % 2 === 0 ? 80 : 90;
      return Array.from(
        { length: 100 },
        (_, x) => (x < 20 ? 40 + x : plateau - (plateau - 60) * Math.exp(-(x - 20) / 10)) + Math.sin(i * 7 + x) * 0.3,
      );
    });
    const encodings = curves.map((_, i) => (i % 2 === 0 ? [1, 0] : [0, 1]));
    const model = trainLearnedExtrapolator({ curves, encodings, scale: CurveScale.PERCENT, fractions: [0.2] });
    expect(model.method).toBe(ExtrapolationMethod.KERNEL_RIDGE_ARCH);
    const partial = curves[0]!.slice(0, 20);
    const low = model.forecast(partial, { targetEpoch: 100, scale: CurveScale.PERCENT, encoding: [1, 0] });
    const high = model.forecast(partial, { targetEpoch: 100, scale: CurveScale.PERCENT, encoding: [0, 1] });
    expect(high.q50 - low.q50).toBeGreaterThan(5);
    expect(() => model.forecast(partial, { targetEpoch: 100, scale: CurveScale.PERCENT })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => trainLearnedExtrapolator({ curves, encodings, kernel: false, scale: CurveScale.PERCENT })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
  });

  it('needs enough valid training curves', () => {
    expect(() => trainLearnedExtrapolator({ curves: train.slice(0, 5), scale: CurveScale.PERCENT })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
    const bad = [...train.slice(0, 20), [10, 200, 30]];
    expect(() => trainLearnedExtrapolator({ curves: bad, scale: CurveScale.PERCENT, fractions: [0.5] })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_CURVE }),
    );
  });
});
