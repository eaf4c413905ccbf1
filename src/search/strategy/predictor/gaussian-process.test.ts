import { describe, expect, it } from 'vitest';
import { GaussianProcess, sparseVector } from './gaussian-process';

const point = (...v: number[]) => sparseVector(v);

describe('GaussianProcess', () => {
  it('interpolates its training targets with small noise and is unsure far from them', () => {
    const gp = new GaussianProcess();
    const xs = [point(0, 0), point(1, 0), point(0, 1), point(1, 1)];
    const ys = [1, 2, 3, 4];
    for (const x of xs) gp.add(x);
    gp.fit(ys, { lengthScale: 1, noise: 1e-6 });
    const near = gp.predict(xs);
    near.mean.forEach((m, i) => expect(m).toBeCloseTo(ys[i]!, 3));
    near.std.forEach((s) => expect(s).toBeLessThan(0.01));
    const far = gp.predict([point(10, 10)]);
    // Far away the posterior returns to the prior: the targets' mean and spread.
    expect(far.mean[0]).toBeCloseTo(2.5, 6);
    expect(far.std[0]).toBeCloseTo(Math.sqrt(1.25), 6);
  });

  it('chooses from a grid by marginal likelihood: noisy targets get a larger noise than smooth ones', () => {
    const positions = Array.from({ length: 30 }, (_, i) => i / 3);
    const xs = positions.map((x) => point(x));
    const smooth = positions.map((x) => Math.sin(x));
    // A fixed, seedless ±1 zig-zag on top of the same curve.
    const noisy = smooth.map((y, i) => y + (i % 2 === 0 ? 1 : -1));
    const grid = { lengthScales: [0.5, 1, 2], noises: [0.001, 0.1, 1] };
    const fitOn = (ys: number[]) => {
      const gp = new GaussianProcess();
      for (const x of xs) gp.add(x);
      return gp.fit(ys, grid);
    };
    expect(fitOn(smooth).noise).toBe(0.001);
    expect(fitOn(noisy).noise).toBe(1);
  });

  it('refits after an added input with the new target', () => {
    const gp = new GaussianProcess();
    gp.add(point(0));
    gp.add(point(5));
    gp.fit([0, 1], { lengthScale: 1, noise: 1e-6 });
    gp.add(point(2.5));
    gp.fit([0, 1, 7], { lengthScale: 1, noise: 1e-6 });
    expect(gp.size).toBe(3);
    expect(gp.predict([point(2.5)]).mean[0]).toBeCloseTo(7, 3);
  });
});
