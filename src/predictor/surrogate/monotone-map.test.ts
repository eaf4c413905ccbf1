import { describe, expect, it } from 'vitest';
import { applyBinnedCurve, fitBinnedCurve } from './binned-curve';
import { applyMonotoneMap, fitMonotoneMap } from './monotone-map';

describe('fitMonotoneMap', () => {
  it('pools adjacent violators, as isotonic regression does', () => {
    const map = fitMonotoneMap([1, 2, 3, 4], [1, 3, 2, 4]);
    expect(map.knots).toEqual([1, 2.5, 4]);
    expect(map.values).toEqual([1, 2.5, 4]);
    expect(applyMonotoneMap(map, 2.5)).toBeCloseTo(2.5, 5);
  });

  it('is strictly increasing, even where it is flat or outside the knots, so that order is kept', () => {
    const map = fitMonotoneMap([0, 1, 2, 3], [5, 4, 3, 10]);
    const xs = [-2, -1, 0, 0.5, 1, 2.9, 3, 7];
    const ys = xs.map((x) => applyMonotoneMap(map, x));
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeGreaterThan(ys[i - 1]!);
    expect(applyMonotoneMap(map, -2)).toBeCloseTo(4, 4);
  });
});

describe('fitBinnedCurve', () => {
  it('keeps mean x and the quantile of y of equal-count bins and interpolates between them', () => {
    const curve = fitBinnedCurve([4, 3, 2, 1], [40, 30, 20, 10], { bins: 2, quantile: 0.5 });
    expect(curve).toEqual({ knots: [1.5, 3.5], values: [15, 35] });
    expect(applyBinnedCurve(curve, 2.5)).toBe(25);
    expect(applyBinnedCurve(curve, 0)).toBe(15);
    expect(applyBinnedCurve(curve, 9)).toBe(35);
    expect(fitBinnedCurve([1, 2, 3, 4, 5], [0, 10, 20, 30, 40], { bins: 1, quantile: 0.6827 }).values[0]).toBeCloseTo(
      27.308,
      6,
    );
  });
});
