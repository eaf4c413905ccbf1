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
import { ZeroCost, ZeroCostScore, type ZeroCostValue } from './zero-cost';
import { Acquisition, acquisitionScores, type AcquisitionValue } from './acquisition';
import type { SpacePool } from './space-pool';
import { gaussianDraw } from '../../../predictor/lce/math/gaussian-draw';
import {
  GaussianProcess,
  sparseVector,
  squaredDistance,
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
  /** The zero-cost score (from core's `cost(arch)`, no record) that `warmup` and `prior` read; NONE: neither. */
  zeroCost: ZeroCostValue;
  /** Each initial ask takes the highest-scoring of this many unasked uniform samples (1: plain uniform samples). */
  warmup: number;
  /** The GP's prior mean: constant (NONE) or LINEAR in the zero-cost score, its slope fitted on the run's observations. */
  prior: PriorMeanValue;
}

/** The in-run GP's prior mean. */
export const PriorMean = {
  /** The targets' mean (a plain GP). */
  NONE: 'NONE',
  /** a + b·score, a and b by least squares on the run's (warped) observations; the GP fits what that leaves. */
  LINEAR: 'LINEAR',
} as const;

/** One of {@link PriorMean}'s values. */
export type PriorMeanValue = (typeof PriorMean)[keyof typeof PriorMean];

/** Reads the shared predictor options into an open reader (the caller calls `done()`). */
export function readInRunPredictorOptions(
  read: OptionReader,
  defaults: {
    acquisition: AcquisitionValue;
    beta?: number;
    encoding?: 'path' | 'onehot' | 'default';
    zeroCost?: ZeroCostValue;
    warmup?: number;
    prior?: PriorMeanValue;
  },
): InRunPredictorOptions {
  const encoding = read.oneOf('encoding', ['path', 'onehot', 'default'] as const, defaults.encoding ?? 'default');
  const zeroCost = read.oneOf('zeroCost', Object.values(ZeroCost), defaults.zeroCost ?? ZeroCost.NONE);
  // A strategy's zero-cost defaults apply with a score; zeroCost=NONE turns them off rather than contradicting them.
  const scored = zeroCost !== ZeroCost.NONE;
  const warmup = read.number('warmup', scored ? (defaults.warmup ?? 1) : 1, { min: 1, max: 100_000, integer: true });
  const prior = read.oneOf(
    'prior',
    Object.values(PriorMean),
    scored ? (defaults.prior ?? PriorMean.NONE) : PriorMean.NONE,
  );
  if (zeroCost === ZeroCost.NONE && (warmup > 1 || prior !== PriorMean.NONE))
    read.fail(warmup > 1 ? 'warmup' : 'prior', 'needs a zeroCost score (FLOPS or PARAMS), got zeroCost=NONE');
  return {
    zeroCost,
    warmup,
    prior,
    encoding: encoding === 'default' ? null : encoding,
    acquisition: read.oneOf('acquisition', Object.values(Acquisition), defaults.acquisition),
    beta: read.number('beta', defaults.beta ?? 1, { min: 0, max: 100 }),
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
  /** The zero-cost score, or null under zeroCost NONE. */
  readonly zeroCost: ZeroCostScore<A> | null;
  /** Scores of the observed architectures, in order (LINEAR prior only). */
  private readonly scores: number[] = [];
  /** The fitted prior mean a + b·score (zero under PriorMean NONE). */
  private priorLine = { intercept: 0, slope: 0 };

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
    this.zeroCost = options.zeroCost === ZeroCost.NONE ? null : new ZeroCostScore(space, options.zeroCost);
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
    const features = this.features(arch);
    this.observed.push(features);
    this.process.add(features);
    this.targets.push(value);
    if (this.options.prior === PriorMean.LINEAR) this.scores.push(this.zeroCost!.of(arch));
  }

  /** Fits on everything observed so far, if anything was added since the last fit. */
  refit(): void {
    if (this.fittedOn === this.targets.length) return;
    const choose = this.hyper === null || this.targets.length - this.hyperChosenAt >= this.options.hyperparameterEvery;
    let targets = this.options.targets === TargetWarp.RANK ? rankWarp(this.targets) : this.targets;
    if (this.options.prior === PriorMean.LINEAR) {
      this.priorLine = leastSquaresLine(this.scores, targets);
      const { intercept, slope } = this.priorLine;
      targets = targets.map((t, i) => t - intercept - slope * this.scores[i]!);
    }
    this.hyper = this.process.fit(targets, choose ? GRID : this.hyper!);
    if (choose) this.hyperChosenAt = this.targets.length;
    this.fittedOn = this.targets.length;
  }

  /** Posterior mean and std of each architecture's value (after a `refit`; on the warped scale under RANK). */
  predict(archs: readonly A[]): GaussianProcessPrediction {
    this.refit();
    const prediction = this.process.predict(archs.map((arch) => this.features(arch)));
    if (this.options.prior === PriorMean.LINEAR) {
      const { intercept, slope } = this.priorLine;
      archs.forEach((arch, i) => (prediction.mean[i] += intercept + slope * this.zeroCost!.of(arch)));
    }
    return prediction;
  }

  /** The `k` candidates of highest acquisition score (ties: the earlier candidate), best first. */
  best(candidates: readonly A[], k: number, rng: Rng): A[] {
    if (candidates.length === 0 || k <= 0) return [];
    const scores = acquisitionScores(this.predict(candidates), this.options.acquisition, this.options.beta, rng);
    const order = candidates.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
    return order.slice(0, k).map((i) => candidates[i]!);
  }

  /** Encodings of the observed architectures, in order. */
  private readonly observed: SparseVector[] = [];
  /** Per observation, its squared distance to every architecture of the pool {@link bestInPool} scores. */
  private readonly poolRows: Float64Array[] = [];

  /**
   * The `k` architectures of an enumerable space's pool, none of them in `asked` (ids), of highest acquisition score,
   * best first (ties: the earlier in the pool). Equal to {@link best} over the unasked pool, one Thompson draw per
   * candidate in pool order, but the posterior std (O(n²) each) is computed only for candidates whose score could
   * still beat the k-th best: the std never exceeds the prior's, so a candidate's mean plus that bound caps its score.
   */
  bestInPool(pool: SpacePool<A>, asked: ReadonlySet<string>, k: number, rng: Rng): A[] {
    this.refit();
    const size = pool.size;
    const vectors = pool.encoded(this.encoding);
    while (this.poolRows.length < this.observed.length) {
      const features = this.observed[this.poolRows.length]!;
      const row = new Float64Array(size);
      for (let c = 0; c < size; c++) row[c] = squaredDistance(features, vectors[c]!);
      this.poolRows.push(row);
    }
    const { alpha, mean, scale, lengthScale } = this.process.posterior;
    const kernel = kernelOf(lengthScale);
    const n = this.observed.length;
    const means = new Float64Array(size);
    for (let i = 0; i < n; i++) {
      const row = this.poolRows[i]!;
      const weight = alpha[i]!;
      for (let c = 0; c < size; c++) means[c] += weight * kernel(row[c]!);
    }
    const scores = this.options.prior === PriorMean.LINEAR ? pool.scored(this.zeroCost!) : null;
    const { intercept, slope } = this.priorLine;
    for (let c = 0; c < size; c++)
      means[c] = mean + scale * means[c]! + (scores === null ? 0 : intercept + slope * scores[c]!);

    const excluded = new Uint8Array(size);
    for (const id of asked) {
      const position = pool.position(id);
      if (position !== undefined) excluded[position] = 1;
    }
    const acquisition = this.options.acquisition;
    const weights = new Float64Array(size);
    const bounds = new Float64Array(size);
    const open: number[] = [];
    for (let c = 0; c < size; c++) {
      if (excluded[c] === 1) continue;
      open.push(c);
      const weight =
        acquisition === Acquisition.THOMPSON
          ? gaussianDraw(rng)
          : acquisition === Acquisition.UCB
            ? this.options.beta
            : 0;
      weights[c] = weight;
      bounds[c] = means[c]! + scale * Math.max(weight, 0);
    }
    open.sort((a, b) => bounds[b]! - bounds[a]! || a - b);
    const chosen: { position: number; score: number }[] = [];
    const k2 = new Float64Array(n);
    for (const c of open) {
      if (chosen.length >= k && bounds[c]! <= chosen[k - 1]!.score) break;
      let score = means[c]!;
      if (weights[c] !== 0) {
        for (let i = 0; i < n; i++) k2[i] = kernel(this.poolRows[i]![c]!);
        score += weights[c]! * this.process.stdFromKernel(k2);
      }
      chosen.push({ position: c, score });
      chosen.sort((a, b) => b.score - a.score || a.position - b.position);
      if (chosen.length > k) chosen.pop();
    }
    return chosen.map((entry) => pool.archs[entry.position]!);
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

/** exp(−d / 2ℓ²), tabled for the small whole distances of 0/1 encodings. */
function kernelOf(lengthScale: number): (squared: number) => number {
  const twoL2 = 2 * lengthScale ** 2;
  const table = Float64Array.from({ length: 64 }, (_, d) => Math.exp(-d / twoL2));
  return (d) => (Number.isInteger(d) && d < 64 ? table[d]! : Math.exp(-d / twoL2));
}

/** Intercept and slope of the least-squares line of `y` on `x` (slope 0 when x does not vary). */
function leastSquaresLine(x: readonly number[], y: readonly number[]): { intercept: number; slope: number } {
  const n = x.length;
  const mx = x.reduce((a, v) => a + v, 0) / n;
  const my = y.reduce((a, v) => a + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxx > 1e-12 ? sxy / sxx : 0;
  return { intercept: my - slope * mx, slope };
}
