import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core';
import { syntheticCurve } from '../../../test/support/synthetic-curves';
import { CurveScale } from './curve-scale';
import { ExtrapolationMethod } from './extrapolation-method';
import { createParametricEnsemble, FamilyWeighting } from './parametric-ensemble';

/** A saturating power law in fractions: 0.9 − 0.6·x^−0.5. */
const truth = (x: number): number => 0.9 - 0.6 * Math.pow(x, -0.5);

describe('createParametricEnsemble', () => {
  const ensemble = createParametricEnsemble();
  const observed = syntheticCurve({ shape: truth, epochs: 60, noise: 0.005, seed: 3 });

  it('forecasts a saturating curve: ordered quantiles that cover the true value, close median', () => {
    for (const weighting of [FamilyWeighting.BIC, FamilyWeighting.HOLDOUT]) {
      const forecast = createParametricEnsemble({ weighting }).forecast(observed, {
        targetEpoch: 300,
        scale: CurveScale.FRACTION,
      });
      expect(forecast.method).toBe(ExtrapolationMethod.PARAMETRIC_ENSEMBLE);
      expect(forecast.q05).toBeLessThanOrEqual(forecast.q50);
      expect(forecast.q50).toBeLessThanOrEqual(forecast.q95);
      expect(forecast.q05).toBeLessThanOrEqual(truth(300));
      expect(forecast.q95).toBeGreaterThanOrEqual(truth(300));
      expect(Math.abs(forecast.q50 - truth(300))).toBeLessThan(0.02);
    }
  });

  it('gives the same forecast in percent as in fractions, times 100', () => {
    const fraction = ensemble.forecast(observed, { targetEpoch: 300, scale: CurveScale.FRACTION });
    const percent = ensemble.forecast(
      observed.map((v) => v * 100),
      { targetEpoch: 300, scale: CurveScale.PERCENT },
    );
    expect(percent.q50).toBeCloseTo(fraction.q50 * 100, 6);
    expect(percent.q95).toBeCloseTo(fraction.q95 * 100, 6);
  });

  it('widens the interval the farther the target', () => {
    const near = ensemble.forecast(observed, { targetEpoch: 80, scale: CurveScale.FRACTION });
    const far = ensemble.forecast(observed, { targetEpoch: 2000, scale: CurveScale.FRACTION });
    expect(far.q95 - far.q05).toBeGreaterThan(near.q95 - near.q05);
  });

  it('returns a wide interval, not a crash, for a one-point and a two-point curve', () => {
    for (const curve of [[30], [30, 42]]) {
      const forecast = ensemble.forecast(curve, { targetEpoch: 200, scale: CurveScale.PERCENT });
      expect(forecast.q05).toBeLessThanOrEqual(forecast.q50);
      expect(forecast.q50).toBeLessThanOrEqual(forecast.q95);
      expect(forecast.q95 - forecast.q05).toBeGreaterThan(50);
    }
  });

  it('handles a flat curve and a curve at the top of the scale', () => {
    for (const curve of [new Array<number>(20).fill(10), new Array<number>(20).fill(100)]) {
      const forecast = ensemble.forecast(curve, { targetEpoch: 200, scale: CurveScale.PERCENT });
      expect(Number.isFinite(forecast.mean)).toBe(true);
      expect(forecast.q05).toBeGreaterThanOrEqual(0);
      expect(forecast.q95).toBeLessThanOrEqual(100);
      expect(forecast.q05).toBeLessThanOrEqual(forecast.q95);
    }
  });

  it('rejects bad input with typed errors', () => {
    expect(() => ensemble.forecast([], { targetEpoch: 10, scale: CurveScale.PERCENT })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_CURVE }),
    );
    expect(() => ensemble.forecast([10, Number.NaN], { targetEpoch: 10, scale: CurveScale.PERCENT })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_CURVE }),
    );
    expect(() => ensemble.forecast([10, 20], { targetEpoch: 2, scale: CurveScale.PERCENT })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_CURVE }),
    );
    expect(() => ensemble.forecast([10, 120], { targetEpoch: 10, scale: CurveScale.PERCENT })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_CURVE }),
    );
  });
});
