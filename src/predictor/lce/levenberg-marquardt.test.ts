import { describe, expect, it } from 'vitest';
import { levenbergMarquardt } from './levenberg-marquardt';

/** y = a·exp(−b·x), p = [a, b]. */
const decay = (x: number, p: readonly number[], g: Float64Array): number => {
  const e = Math.exp(-p[1]! * x);
  g[0] = e;
  g[1] = -p[0]! * x * e;
  return p[0]! * e;
};

describe('levenbergMarquardt', () => {
  const xs = Array.from({ length: 30 }, (_, i) => i / 3);
  const ys = xs.map((x) => 2 * Math.exp(-0.7 * x));

  it('fits an exponential decay exactly from a distant start', () => {
    const fit = levenbergMarquardt({
      gradient: decay,
      xs,
      ys,
      initial: [0.5, 3],
      lower: [0, 0],
      upper: [10, 10],
      tolerance: 1e-14,
      maxIterations: 500,
    });
    expect(fit.params[0]).toBeCloseTo(2, 6);
    expect(fit.params[1]).toBeCloseTo(0.7, 6);
    expect(fit.sse).toBeLessThan(1e-12);
  });

  it('keeps every parameter inside its box, at the bound when the optimum is outside', () => {
    const fit = levenbergMarquardt({
      gradient: decay,
      xs,
      ys,
      initial: [1, 0.1],
      lower: [0, 0],
      upper: [1.5, 10],
      maxIterations: 200,
    });
    expect(fit.params[0]).toBe(1.5);
    expect(fit.params[1]).toBeGreaterThanOrEqual(0);
  });

  it('uses the weights: a heavily weighted point is fitted almost exactly', () => {
    const line = (x: number, p: readonly number[], g: Float64Array): number => {
      g[0] = 1;
      return p[0]!;
    };
    const fit = levenbergMarquardt({
      gradient: line,
      xs: [0, 1],
      ys: [0, 1],
      weights: [1, 999],
      initial: [0.5],
      lower: [-5],
      upper: [5],
      tolerance: 1e-14,
    });
    expect(fit.params[0]).toBeCloseTo(0.999, 6);
  });

  it('reports an infinite error instead of throwing when the model is never finite', () => {
    const broken = (): number => Number.NaN;
    const fit = levenbergMarquardt({ gradient: broken, xs, ys, initial: [1, 1], lower: [0, 0], upper: [2, 2] });
    expect(fit.sse).toBe(Infinity);
  });
});
