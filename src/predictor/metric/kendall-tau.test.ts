import { describe, expect, it } from 'vitest';
import { kendallTau } from './kendall-tau';

describe('kendallTau', () => {
  it('is 1 for the same order, -1 for the reverse, and matches scipy with ties', () => {
    expect(kendallTau([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(kendallTau([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    // scipy.stats.kendalltau([1, 2, 2, 3, 4], [1, 3, 2, 2, 5]).statistic
    expect(kendallTau([1, 2, 2, 3, 4], [1, 3, 2, 2, 5])).toBeCloseTo(0.6666666666666666, 12);
  });

  it('is NaN for a constant sample', () => {
    expect(kendallTau([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});
