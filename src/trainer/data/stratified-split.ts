import { ErrorCode, NashubError, createRng } from '../../core';
import { shuffle } from './shuffle';

/** Options of {@link stratifiedSplit}. */
export interface StratifiedSplitOptions {
  /** Class of each example. */
  labels: Uint8Array;
  /** Number of classes (labels are 0..classes-1). */
  classes: number;
  /** Sizes of the parts to draw, in order, without overlap (e.g. [valid, train]). */
  sizes: number[];
  /** Seed of the draw: the same seed gives the same parts. */
  seed: number;
}

/**
 * Disjoint subsets of the examples with the class proportions of the whole (largest remainder per class), drawn
 * from one seeded shuffle per class. Each part's indices are returned in ascending order.
 */
export function stratifiedSplit(options: StratifiedSplitOptions): Int32Array[] {
  const { labels, classes, sizes } = options;
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.some((size) => !Number.isInteger(size) || size < 0) || total > labels.length) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `cannot draw parts of ${sizes.join(' + ')} examples from ${labels.length}`,
      {
        details: { sizes, available: labels.length },
      },
    );
  }
  const rng = createRng(options.seed);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((label, index) => byClass[label].push(index));
  for (const indices of byClass) shuffle(indices, rng);
  const taken = new Array<number>(classes).fill(0);
  return sizes.map((size) => {
    const quotas = apportion(
      byClass.map((indices) => indices.length),
      size,
      labels.length,
    );
    const part: number[] = [];
    quotas.forEach((quota, c) => {
      const available = byClass[c].length - taken[c];
      const n = Math.min(quota, available);
      part.push(...byClass[c].slice(taken[c], taken[c] + n));
      taken[c] += n;
    });
    // Classes too small for their quota: top up from the others, in class order.
    for (let c = 0; part.length < size && c < classes; c++) {
      const n = Math.min(size - part.length, byClass[c].length - taken[c]);
      part.push(...byClass[c].slice(taken[c], taken[c] + n));
      taken[c] += n;
    }
    return Int32Array.from(part).sort();
  });
}

/** Largest-remainder apportionment of `size` over classes of the given counts (ties to the lower class). */
function apportion(counts: number[], size: number, total: number): number[] {
  const exact = counts.map((count) => (count * size) / total);
  const quotas = exact.map(Math.floor);
  let left = size - quotas.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, c) => [value - Math.floor(value), c] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, c] of order) {
    if (left === 0) break;
    quotas[c]++;
    left--;
  }
  return quotas;
}
