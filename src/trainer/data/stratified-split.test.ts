import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../core';
import { stratifiedSplit } from './stratified-split';

const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i < 500 ? 0 : i < 800 ? 1 : 2));

describe('stratifiedSplit', () => {
  it('draws disjoint parts with the class proportions, the same for the same seed', () => {
    const [valid, train] = stratifiedSplit({ labels, classes: 3, sizes: [100, 301], seed: 7 });
    expect(valid.length).toBe(100);
    expect(train.length).toBe(301);
    const count = (part: Int32Array, c: number): number => [...part].filter((i) => labels[i] === c).length;
    expect([0, 1, 2].map((c) => count(valid, c))).toEqual([50, 30, 20]);
    expect([0, 1, 2].map((c) => count(train, c))).toEqual([151, 90, 60]);
    const seen = new Set([...valid, ...train]);
    expect(seen.size).toBe(401);
    expect(stratifiedSplit({ labels, classes: 3, sizes: [100, 301], seed: 7 })).toEqual([valid, train]);
    expect(stratifiedSplit({ labels, classes: 3, sizes: [100, 301], seed: 8 })[0]).not.toEqual(valid);
  });

  it('refuses parts larger than the data', () => {
    let error: unknown;
    try {
      stratifiedSplit({ labels, classes: 3, sizes: [600, 401], seed: 1 });
    } catch (e) {
      error = e;
    }
    expect((error as NashubError).code).toBe(ErrorCode.INVALID_ARGUMENT);
  });
});
