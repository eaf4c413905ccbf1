import { describe, expect, it } from 'vitest';
import { getSpace } from '../../core';
import { unlabelledArchitectures } from './unlabelled-architectures';

describe('unlabelledArchitectures', () => {
  it('gives the whole of an enumerable space that is small enough, and a seeded subset otherwise', () => {
    const nb201 = getSpace('nb201');
    expect(unlabelledArchitectures({ space: nb201, count: 20000, seed: 0 }).archs).toHaveLength(15625);
    const some = unlabelledArchitectures({ space: nb201, count: 50, seed: 3 });
    expect(some.archs).toHaveLength(50);
    expect(new Set(some.archs.map((a) => nb201.id(a))).size).toBe(50);
    expect(unlabelledArchitectures({ space: nb201, count: 50, seed: 3 }).archs).toEqual(some.archs);
  });

  it('samples spaces that are not enumerated', () => {
    for (const name of ['nb101', 'darts']) {
      const batch = unlabelledArchitectures({ space: getSpace(name), count: 30, seed: 1 });
      expect(batch.space).toBe(name);
      expect(batch.archs).toHaveLength(30);
    }
  });
});
