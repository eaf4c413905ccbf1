import { describe, expect, it } from 'vitest';
import { rankWarp } from './rank-warp';

describe('rankWarp', () => {
  it('keeps the order, is symmetric about 0, shares ties and ignores the scale of outliers', () => {
    const warped = rankWarp([10, 90, 91, 92, 93]);
    expect(warped.map((v, i) => i > 0 && v > warped[i - 1]!).slice(1)).toEqual([true, true, true, true]);
    expect(warped[2]).toBeCloseTo(0, 9);
    expect(warped[0]).toBeCloseTo(-warped[4]!, 9);
    // Φ⁻¹(0.9) = 1.2815515655.
    expect(warped[4]).toBeCloseTo(1.2815515655, 6);
    expect(rankWarp([-1e9, 90, 91, 92, 93])).toEqual(warped);
    const tied = rankWarp([1, 2, 2, 3]);
    expect(tied[1]).toBe(tied[2]);
    expect(tied[1]).toBeCloseTo(0, 9);
  });
});
