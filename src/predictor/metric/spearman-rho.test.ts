import { describe, expect, it } from 'vitest';
import { precisionAtTop } from './precision-at-top';
import { spearmanRho } from './spearman-rho';

describe('spearmanRho and precisionAtTop', () => {
  it('matches scipy with ties', () => {
    // scipy.stats.spearmanr([1, 2, 2, 3, 4], [1, 3, 2, 2, 5]).statistic
    expect(spearmanRho([1, 2, 2, 3, 4], [1, 3, 2, 2, 5])).toBeCloseTo(0.7631578947368421, 12);
    expect(spearmanRho([1, 2, 3], [3, 2, 1])).toBe(-1);
  });

  it('counts the shared top items', () => {
    expect(precisionAtTop([5, 4, 3, 2, 1, 0, 0, 0, 0, 0], [5, 0, 4, 0, 0, 0, 0, 0, 0, 1], 0.2)).toBe(0.5);
  });
});
