import type { EncodingKindValue, SearchSpace, VectorEncoding } from '../../../core';
import { sparseVector, type SparseVector } from './gaussian-process';
import { ZeroCostScore, type ZeroCostValue } from './zero-cost';

/**
 * Every architecture of an enumerable space (NB201: 15,625 cells) with what a predictor reads of each, computed once
 * per space and process and shared by every run (all of it a function of the architecture alone: no record): ids,
 * encodings and zero-cost scores, by position in the space's `enumerate` order.
 */
export class SpacePool<A> {
  readonly archs: readonly A[];
  readonly ids: readonly string[];
  private readonly positions: ReadonlyMap<string, number>;
  private readonly features = new Map<EncodingKindValue, readonly SparseVector[]>();
  private readonly scores = new Map<ZeroCostValue, Float64Array>();

  private constructor(private readonly space: SearchSpace<A>) {
    this.archs = [...space.enumerate()];
    this.ids = this.archs.map((arch) => space.id(arch));
    this.positions = new Map(this.ids.map((id, i) => [id, i]));
  }

  /** The pool of `space`, or null when the space is not enumerable (`size` null: nb101, darts). */
  static of<A>(space: SearchSpace<A>): SpacePool<A> | null {
    if (space.size === null) return null;
    let pool = pools.get(space) as SpacePool<A> | undefined;
    if (pool === undefined) pools.set(space, (pool = new SpacePool(space)));
    return pool;
  }

  /** Architectures in the pool. */
  get size(): number {
    return this.archs.length;
  }

  /** Position of an id in the pool, or undefined. */
  position(id: string): number | undefined {
    return this.positions.get(id);
  }

  /** Every architecture's `encoding` as a sparse vector, by position. */
  encoded(encoding: EncodingKindValue): readonly SparseVector[] {
    let vectors = this.features.get(encoding);
    if (vectors === undefined) {
      vectors = this.archs.map((arch) => sparseVector((this.space.encode(arch, encoding) as VectorEncoding).vector));
      this.features.set(encoding, vectors);
    }
    return vectors;
  }

  /** Every architecture's zero-cost score, by position. */
  scored(score: ZeroCostScore<A>): Float64Array {
    let values = this.scores.get(score.kind);
    if (values === undefined) {
      values = Float64Array.from(this.archs, (arch) => score.of(arch));
      this.scores.set(score.kind, values);
    }
    return values;
  }
}

const pools = new WeakMap<object, SpacePool<unknown>>();
