import { createRng, type SearchSpace } from '../../core';
import type { ArchitectureBatch } from './predictor';

/** Options of {@link unlabelledArchitectures}. */
export interface UnlabelledArchitecturesOptions {
  /** The space to draw from. */
  space: SearchSpace;
  /** How many architectures (a predictor's `dataNeeds.unlabelled`). */
  count: number;
  /** Seed of the sample, and of the subset when the space is enumerable but larger than `count`. */
  seed: number;
}

/**
 * Unlabelled architectures for a semi-supervised fit: every architecture of an enumerable space no larger than
 * `count` (all 15,625 NB201 cells), else `count` drawn uniformly (a seeded subset of the enumeration, or the space's
 * sampler for NB101 and DARTS, where duplicates are possible but rare).
 */
export function unlabelledArchitectures(options: UnlabelledArchitecturesOptions): ArchitectureBatch {
  const { space, count } = options;
  const rng = createRng(options.seed);
  if (space.size !== null) {
    const all = [...space.enumerate()];
    if (all.length <= count) return { space: space.name, archs: all };
    for (let i = 0; i < count; i++) {
      const j = i + rng.int(all.length - i);
      [all[i], all[j]] = [all[j], all[i]];
    }
    return { space: space.name, archs: all.slice(0, count) };
  }
  return { space: space.name, archs: Array.from({ length: count }, () => space.sample(rng)) };
}
