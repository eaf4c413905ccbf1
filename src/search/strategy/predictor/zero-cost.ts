import type { SearchSpace } from '../../../core';

/** Which zero-cost score a predictor-guided strategy reads from core's `cost(arch)` (no record, no training). */
export const ZeroCost = {
  /** No zero-cost information: uniform warm-up, no prior. */
  NONE: 'NONE',
  /** log of the network's multiply-accumulates (`flopsM`). */
  FLOPS: 'FLOPS',
  /** log of the network's parameters (`paramsM`). */
  PARAMS: 'PARAMS',
} as const;

/** One of {@link ZeroCost}'s values. */
export type ZeroCostValue = (typeof ZeroCost)[keyof typeof ZeroCost];

/** Scores kept per space and kind across runs (a pure function of the architecture); a map past this size starts over. */
const SHARED_LIMIT = 200_000;
const shared = new WeakMap<object, Map<string, Map<string, number>>>();

function sharedCache(space: object, kind: string): Map<string, number> {
  let byKind = shared.get(space);
  if (byKind === undefined) shared.set(space, (byKind = new Map()));
  let cache = byKind.get(kind);
  if (cache === undefined) byKind.set(kind, (cache = new Map()));
  return cache;
}

/**
 * The zero-cost score of architectures (Abdelfattah et al., ICLR 2021, "Zero-Cost Proxies for Lightweight NAS": FLOPs
 * and parameter counts are their architecture-only baselines): log(1 + flopsM) or log(1 + paramsM) of core's
 * `cost(arch)` with the space's default macro, computed from the architecture alone and cached by id (shared by the
 * runs of a process: a bench's 100 runs count NB201's 15,625 cells once, not once per run). Higher is
 * "bigger", which on NB201 ranks the 200-epoch accuracy with Spearman 0.71 and the 12-epoch one with 0.42.
 */
export class ZeroCostScore<A> {
  private readonly cache: Map<string, number>;

  constructor(
    private readonly space: SearchSpace<A>,
    readonly kind: Exclude<ZeroCostValue, 'NONE'>,
  ) {
    this.cache = sharedCache(space, kind);
  }

  /** The score of one architecture. */
  of(arch: A): number {
    const id = this.space.id(arch);
    let score = this.cache.get(id);
    if (score === undefined) {
      const cost = this.space.cost(arch);
      score = Math.log1p(Math.max(this.kind === ZeroCost.FLOPS ? cost.flopsM : cost.paramsM, 0));
      if (this.cache.size >= SHARED_LIMIT) this.cache.clear();
      this.cache.set(id, score);
    }
    return score;
  }
}
