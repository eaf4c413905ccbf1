import type { Rng } from '../../core';

/** Fold of each of `count` items for k-fold cross-validation: a seeded shuffle dealt round-robin into `folds` folds. */
export function assignFolds(count: number, folds: number, rng: Rng): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const fold = new Array<number>(count);
  order.forEach((item, position) => {
    fold[item] = position % folds;
  });
  return fold;
}
