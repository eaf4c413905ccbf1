import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core';
import { syntheticCurve } from '../../../test/support/synthetic-curves';
import { CURVE_FAMILIES, getCurveFamily } from './curve-families';
import { fitCurveFamily } from './fit-curve-family';

/** Known parameters per family: curves from ~0.2 rising to 0.8–0.95 over 150 epochs. */
const TRUE_PARAMS: Record<string, number[]> = {
  pow3: [0.9, 0.6, 0.6],
  log_log_linear: [0.25, 1.3],
  janoschek: [0.9, 0.2, 0.05, 0.9],
  mmf: [0.9, 0.1, 0.05, 1.2],
  weibull: [0.88, 0.15, 0.03, 0.8],
  vapor_pressure: [-0.1, -1.5, -0.02],
  ilog2: [0.95, 0.5],
  exp4: [0.9, 0.1, -0.3, 0.8],
};

describe('curve families', () => {
  it('has the eight families of Domhan et al. and rejects an unknown name', () => {
    expect(CURVE_FAMILIES.map((f) => f.name).sort()).toEqual(Object.keys(TRUE_PARAMS).sort());
    expect(() => getCurveFamily('pow9')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
  });

  for (const family of CURVE_FAMILIES) {
    it(`${family.name} has an analytic gradient that matches finite differences`, () => {
      const p = TRUE_PARAMS[family.name]!;
      const g = new Float64Array(p.length);
      for (const x of [1, 7, 150]) {
        expect(family.gradient(x, p, g)).toBeCloseTo(family.value(x, p), 12);
        p.forEach((v, j) => {
          const h = 1e-6 * Math.max(1, Math.abs(v));
          const up = p.slice();
          const down = p.slice();
          up[j] = v + h;
          down[j] = v - h;
          expect(g[j]!).toBeCloseTo((family.value(x, up) - family.value(x, down)) / (2 * h), 6);
        });
      }
    });

    it(`${family.name} recovers its parameters from a noisy synthetic curve`, () => {
      const truth = TRUE_PARAMS[family.name]!;
      const ys = syntheticCurve({ shape: (x) => family.value(x, truth), epochs: 150, noise: 0.002, seed: 7 });
      const tail = ys.slice(-3);
      const fit = fitCurveFamily(family, {
        curve: ys,
        summary: { first: ys[0]!, last: tail.reduce((a, b) => a + b, 0) / 3, best: Math.max(...ys), length: ys.length },
        maxIterations: 200,
        tolerance: 1e-10,
      });
      expect(fit).not.toBeNull();
      fit!.params.forEach((p, j) => {
        expect(Math.abs(p - truth[j]!), `${family.params[j]}: fitted ${p}, true ${truth[j]}`).toBeLessThanOrEqual(
          0.15 * Math.abs(truth[j]!) + 0.01,
        );
      });
      // The residual noise is the generating one, and the fitted curve extrapolates to 300 epochs.
      expect(Math.sqrt(fit!.noiseVariance)).toBeCloseTo(0.002, 3);
      expect(Math.abs(fit!.value(300) - family.value(300, truth))).toBeLessThan(0.01);
    });
  }

  it('refuses a curve with no more points than parameters', () => {
    const family = getCurveFamily('pow3');
    expect(
      fitCurveFamily(family, { curve: [0.2, 0.3, 0.35], summary: { first: 0.2, last: 0.35, best: 0.35, length: 3 } }),
    ).toBeNull();
  });
});
