import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core';
import { syntheticPopulation } from '../../../test/support/synthetic-curves';
import { conformalizeExtrapolator } from './conformalize-extrapolator';
import { CurveScale } from './curve-scale';
import { ExtrapolationMethod } from './extrapolation-method';
import { createLastValueExtrapolator } from './last-value-extrapolator';

describe('conformalizeExtrapolator', () => {
  const population = syntheticPopulation(120, 100, 21);
  const calibration = population.slice(0, 80);
  const test = population.slice(80);

  it('gives a point forecast an interval that covers about 90% of new curves, median unchanged', () => {
    const base = createLastValueExtrapolator();
    const calibrated = conformalizeExtrapolator({
      base,
      curves: calibration,
      scale: CurveScale.PERCENT,
      fractions: [0.2],
    });
    expect(calibrated.method).toBe(ExtrapolationMethod.LAST_VALUE);
    let covered = 0;
    for (const curve of test) {
      const options = { targetEpoch: 100, scale: CurveScale.PERCENT };
      const f = calibrated.forecast(curve.slice(0, 20), options);
      expect(f.q50).toBe(base.forecast(curve.slice(0, 20), options).q50);
      expect(f.q05).toBeLessThan(f.q50);
      expect(f.q95).toBeGreaterThan(f.q50);
      expect(f.q95).toBeLessThanOrEqual(100);
      const final = curve[curve.length - 1]!;
      if (f.q05 <= final && final <= f.q95) covered++;
    }
    expect(covered / test.length).toBeGreaterThanOrEqual(0.75);
  });

  it('needs calibration curves', () => {
    expect(() =>
      conformalizeExtrapolator({
        base: createLastValueExtrapolator(),
        curves: [],
        scale: CurveScale.PERCENT,
        fractions: [0.2],
      }),
    ).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
  });
});
