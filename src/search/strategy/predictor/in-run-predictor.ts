import {
  EncodingKind,
  ErrorCode,
  NashubError,
  type EncodingKindValue,
  type Rng,
  type SearchSpace,
  type VectorEncoding,
} from '../../../core';
import type { OptionReader } from '../option-reader';
import { rankWarp } from './rank-warp';
import { Acquisition, acquisitionScores, type AcquisitionValue } from './acquisition';
import {
  GaussianProcess,
  sparseVector,
  type SparseVector,
  type GaussianProcessGrid,
  type GaussianProcessHyperparameters,
  type GaussianProcessPrediction,
} from './gaussian-process';

/** How the in-run predictor sees its targets. */
export const TargetWarp = {
  /** The told values. */
  RAW: 'RAW',
  /** Their quantile-normal ranks ({@link rankWarp}). */
  RANK: 'RANK',
} as const;

/** One of {@link TargetWarp}'s values. */
export type TargetWarpValue = (typeof TargetWarp)[keyof typeof TargetWarp];

/** Options every predictor-guided strategy shares (read by {@link readInRunPredictorOptions}). */
export interface InRunPredictorOptions {
  /** The space's vector encoding the predictor reads; null: `path` where the space has it, else `onehot` (BANANAS defaults to `onehot`). */
  encoding: EncodingKindValue | null;
  /** Score of a candidate from the prediction. */
  acquisition: AcquisitionValue;
  /** UCB's weight on the std. */
  beta: number;
  /** Targets as told (RAW) or quantile-normal warped (RANK) before the GP fits them. */
  targets: TargetWarpValue;
  /** Observations between two choices of the kernel's hyperparameters by marginal likelihood (refits in between keep them). */
  hyperparameterEvery: number;
}

/** Reads the shared predictor options into an open reader (the caller calls `done()`). */
export function readInRunPredictorOptions(
  read: OptionReader,
  defaults: { acquisition: AcquisitionValue; encoding?: 'path' | 'onehot' | 'default' },
): InRunPredictorOptions {
  const encoding = read.oneOf('encoding', ['path', 'onehot', 'default'] as const, defaults.encoding ?? 'default');
  return {
    encoding: encoding === 'default' ? null : encoding,
    acquisition: read.oneOf('acquisition', Object.values(Acquisition), defaults.acquisition),
    beta: read.number('beta', 1, { min: 0, max: 100 }),
    targets: read.oneOf('targets', Object.values(TargetWarp), TargetWarp.RANK),
    hyperparameterEvery: read.number('hyperparameterEvery', 10, { min: 1, max: 100_000, integer: true }),
  };
}

/**
 * Length scales and noise levels the marginal likelihood chooses from. Encodings here are 0/1 vectors, so ‖x − x'‖² counts
 * differing bits: ℓ from 1 to 6 spans "one edit is far" to "the whole cell is near"; noise covers nearly exact
 * table values to hp=12's seed noise.
 */
const GRID: GaussianProcessGrid = { lengthScales: [1, 1.5, 2, 3, 4, 6], noises: [0.01, 0.03, 0.1, 0.3] };

/**
 * The predictor a predictor-guided strategy fits inside one run: a Gaussian process on the space's path (or one-hot)
 * encoding, fitted only on what the strategy was told (NAS-Bench-201 honesty: nothing the run has not paid for).
 * A GP rather than BANANAS' ensemble of MLPs: at the ≤ 200 observations of a run it is exact in a few milliseconds,
 * its std is a posterior rather than the spread of a handful of nets, and it has no training randomness.
 */
export class InRunPredictor<A> {
  private readonly process = new GaussianProcess();
  private readonly targets: number[] = [];
  private readonly encoding: EncodingKindValue;
  private fittedOn = 0;
  private hyper: GaussianProcessHyperparameters | null = null;
  private hyperChosenAt = 0;

  constructor(
    private readonly space: SearchSpace<A>,
    private readonly options: InRunPredictorOptions,
    strategy: string,
  ) {
    const vectors: EncodingKindValue[] = space.encodings.filter(
      (kind) => kind === EncodingKind.PATH || kind === EncodingKind.ONEHOT,
    );
    const encoding =
      options.encoding ?? (vectors.includes(EncodingKind.PATH) ? EncodingKind.PATH : EncodingKind.ONEHOT);
    if (!vectors.includes(encoding)) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `${strategy} option encoding ${encoding} is not an encoding of space ${space.name} (it has ${vectors.join(', ')})`,
        {
          details: { strategy, option: 'encoding', space: space.name },
        },
      );
    }
    this.encoding = encoding;
  }

  /** Observations the predictor holds. */
  get size(): number {
    return this.targets.length;
  }

  /** The encoding it reads. */
  get encodingKind(): EncodingKindValue {
    return this.encoding;
  }

  /** Adds one told observation. */
  observe(arch: A, value: number): void {
    this.process.add(this.features(arch));
    this.targets.push(value);
  }

  /** Fits on everything observed so far, if anything was added since the last fit. */
  refit(): void {
    if (this.fittedOn === this.targets.length) return;
    const choose = this.hyper === null || this.targets.length - this.hyperChosenAt >= this.options.hyperparameterEvery;
    this.hyper = this.process.fit(
      this.options.targets === TargetWarp.RANK ? rankWarp(this.targets) : this.targets,
      choose ? GRID : this.hyper!,
    );
    if (choose) this.hyperChosenAt = this.targets.length;
    this.fittedOn = this.targets.length;
  }

  /** Posterior mean and std of each architecture's value (after a `refit`; on the warped scale under RANK). */
  predict(archs: readonly A[]): GaussianProcessPrediction {
    this.refit();
    return this.process.predict(archs.map((arch) => this.features(arch)));
  }

  /** The `k` candidates of highest acquisition score (ties: the earlier candidate), best first. */
  best(candidates: readonly A[], k: number, rng: Rng): A[] {
    if (candidates.length === 0 || k <= 0) return [];
    const scores = acquisitionScores(this.predict(candidates), this.options.acquisition, this.options.beta, rng);
    const order = candidates.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
    return order.slice(0, k).map((i) => candidates[i]!);
  }

  /** Encodings by id: candidates recur from ask to ask (neighbours of the same parents). */
  private readonly cache = new Map<string, SparseVector>();

  private features(arch: A): SparseVector {
    const id = this.space.id(arch);
    let vector = this.cache.get(id);
    if (vector === undefined) {
      vector = sparseVector((this.space.encode(arch, this.encoding) as VectorEncoding).vector);
      this.cache.set(id, vector);
    }
    return vector;
  }
}
