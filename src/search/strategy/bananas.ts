import { EncodingKind, ErrorCode, NashubError, type VectorEncoding } from '../../core';
import { Incumbent } from './incumbent';
import { OptionReader } from './option-reader';
import { Acquisition } from './predictor/acquisition';
import { GuidedHistory } from './predictor/guided-history';
import { PriorMean, readInRunPredictorOptions, type InRunPredictorOptions } from './predictor/in-run-predictor';
import type { Observation, Strategy, StrategyContext, Suggestion } from './strategy';
import { StrategyName } from './strategy-name';
import { SpacePool } from './predictor/space-pool';
import { ZeroCost } from './predictor/zero-cost';

/** Options of {@link Bananas}. */
export interface BananasOptions extends InRunPredictorOptions {
  /** Uniform samples asked before the predictor guides (BANANAS: 10). */
  initial: number;
  /** Best observations whose one-edit neighbours are candidates (NASLib's `num_arches_to_mutate`, widened). */
  parents: number;
  /** Extra candidates per ask: two-edit mutants of random parents (0: neighbours only). */
  mutants: number;
  /**
   * Extra candidates per ask: uniform samples, so the acquisition can jump away from the parents' family (default
   * 1,000; 0: neighbours only).
   */
  samples: number;
  /**
   * Every `explore`-th guided ask (default 3) picks, by the same acquisition, among the uniform samples more than
   * `radius` (default 3) edits from the incumbent, so a run keeps looking beyond the family of cells it settled in (0: never).
   */
  explore: number;
  /** Edits around the incumbent that an exploring ask stays out of. */
  radius: number;
  /**
   * Where a guided ask looks: MUTATIONS (the neighbours of the best, `mutants` and `samples`) or SPACE (every architecture
   * of an enumerable space the run has not asked: NB201's 15,625 cells; refused on nb101 and darts).
   */
  pool: CandidatePoolValue;
}

/** Where BANANAS' guided asks look for candidates. */
export const CandidatePool = {
  /** One-edit neighbours of the best observations, two-edit mutants, uniform samples (BANANAS' own). */
  MUTATIONS: 'MUTATIONS',
  /** The whole space, every unasked architecture (enumerable spaces only). */
  SPACE: 'SPACE',
} as const;

/** One of {@link CandidatePool}'s values. */
export type CandidatePoolValue = (typeof CandidatePool)[keyof typeof CandidatePool];

/**
 * Reads BANANAS' options; defaults: 10 initial samples, candidates the neighbours of the 10 best plus 1,000 uniform
 * samples, Thompson sampling, the GP on the one-hot encoding. `pool=SPACE` brings its own defaults (each can still be
 * given): 15 initial asks, each the highest-FLOPs of 15 samples, the GP's prior mean LINEAR in the FLOPs score, UCB with
 * beta 2, every 2nd guided ask exploring.
 */
export function parseBananasOptions(raw: Readonly<Record<string, unknown>>): BananasOptions {
  const read = new OptionReader(StrategyName.BANANAS, raw);
  const pool = read.oneOf('pool', Object.values(CandidatePool), CandidatePool.MUTATIONS);
  const whole = pool === CandidatePool.SPACE;
  const options: BananasOptions = {
    pool,
    initial: read.number('initial', whole ? 15 : 10, { min: 2, max: 100_000, integer: true }),
    parents: read.number('parents', 10, { min: 1, max: 10_000, integer: true }),
    mutants: read.number('mutants', 0, { min: 0, max: 100_000, integer: true }),
    samples: read.number('samples', 1000, { min: 0, max: 100_000, integer: true }),
    explore: read.number('explore', whole ? 2 : 3, { min: 0, max: 100_000, integer: true }),
    radius: read.number('radius', 3, { min: 0, max: 1_000, integer: true }),
    ...readInRunPredictorOptions(
      read,
      whole
        ? {
            acquisition: Acquisition.UCB,
            beta: 2,
            encoding: 'onehot',
            zeroCost: ZeroCost.FLOPS,
            warmup: 15,
            prior: PriorMean.LINEAR,
          }
        : { acquisition: Acquisition.THOMPSON, encoding: 'onehot' },
    ),
  };
  read.done();
  return options;
}

/**
 * BANANAS-like Bayesian optimisation (White, Neiswanger & Savani, AAAI 2021; NASLib's `Bananas`): `initial` uniform
 * samples, then each ask fits the in-run predictor on the run's own observations, scores every one-edit neighbour of the
 * `parents` best observations (plus `mutants` two-edit mutants and `samples` uniform samples) by the acquisition, and asks the top
 * one, never an architecture the run has asked before (by `space.id`); every `explore`-th guided ask chooses among
 * the uniform samples more than `radius` edits from the incumbent instead. With n free workers it asks n times in a row
 * (fresh candidates and draws each time, NASLib's batch of k). Porting notes: the predictor is a Gaussian process (see
 * {@link InRunPredictor}), not an ensemble of MLPs, and it is refitted on every ask that has new results rather than
 * every 10 evaluations. Its defaults depart from BANANAS' (path encoding, mutations of the best only) where NB201
 * measured them worse: on the one-hot encoding the GP generalises across cells that share an operation on an edge, and
 * the uniform samples and the exploring asks let a run leave the family of good cells it found first (an hp=12 local
 * optimum 4 edits from the top, where neighbours-only runs stay). 100 runs of nb201-cifar10-valid: 91.34 → 91.46 mean,
 * but REA's mean is reached at 56 % of the budget instead of 53 % (docs/results/2026-12-05-search-predictors-2.md).
 * With `pool=SPACE` (enumerable spaces) a guided ask scores every unasked architecture of the space instead; with its
 * defaults (FLOPs-chosen initial design, LINEAR FLOPs prior, UCB β 2, every 2nd ask exploring) 100 runs of
 * nb201-cifar10-valid end at 91.47 and reach REA's mean at 28 % of the budget
 * (docs/results/2026-12-06-search-predictors-5.md).
 */
export class Bananas<A> implements Strategy<A> {
  readonly name = StrategyName.BANANAS;
  private readonly incumbent = new Incumbent<A>();
  private readonly history: GuidedHistory<A>;
  private initialAsked = 0;
  private guidedAsked = 0;
  /** One-hot vectors by id, for the edit distances of exploring asks. */
  private readonly onehot = new Map<string, readonly number[]>();

  /** The whole space under `pool=SPACE`, else null. */
  private readonly pool: SpacePool<A> | null;

  constructor(
    private readonly context: StrategyContext<A>,
    private readonly options: BananasOptions,
  ) {
    this.history = new GuidedHistory(context, options, this.name, this.incumbent);
    this.pool = options.pool === CandidatePool.SPACE ? SpacePool.of(context.space) : null;
    if (options.pool === CandidatePool.SPACE && this.pool === null) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `BANANAS option pool SPACE needs an enumerable space; ${context.space.name} is too big to enumerate (use pool=MUTATIONS)`,
        { details: { strategy: this.name, option: 'pool', space: context.space.name } },
      );
    }
  }

  async ask(n: number): Promise<Suggestion<A>[]> {
    const { defaultFidelity } = this.context;
    const out: A[] = [];
    while (out.length < n && this.initialAsked < this.options.initial) {
      out.push(this.history.sampleInitial());
      this.initialAsked++;
    }
    // The GP needs two observations to standardise its targets; until then the run waits for results.
    if (out.length < n && this.history.told.length >= 2) {
      while (out.length < n) {
        this.guidedAsked++;
        const exploring = this.options.explore > 0 && this.guidedAsked % this.options.explore === 0;
        const { predictor, asked } = this.history;
        const [chosen] =
          this.pool !== null && !exploring
            ? predictor.bestInPool(this.pool, asked, 1, this.context.rng)
            : predictor.best(exploring ? this.farSamples() : this.candidates(), 1, this.context.rng);
        if (chosen === undefined) break;
        this.history.markAsked(chosen);
        out.push(chosen);
      }
      // Every neighbour asked already: fall back to fresh samples rather than stall.
      while (out.length < n) out.push(this.history.sampleUnseen());
    }
    return out.map((arch) => ({ arch, fidelity: defaultFidelity }));
  }

  tell(observations: readonly Observation<A>[]): void {
    this.history.tell(observations);
  }

  recommend(): A | null {
    return this.incumbent.arch;
  }

  /** Unasked uniform samples more than `radius` edits from the incumbent (edits: differing one-hot entries / 2). */
  private farSamples(): A[] {
    const { space, rng } = this.context;
    const onehot = (arch: A) => {
      const id = space.id(arch);
      let vector = this.onehot.get(id);
      if (vector === undefined) {
        vector = (space.encode(arch, EncodingKind.ONEHOT) as VectorEncoding).vector;
        this.onehot.set(id, vector);
      }
      return vector;
    };
    const center = onehot(this.incumbent.arch!);
    const pool = new Map<string, A>();
    for (let i = 0; i < Math.max(this.options.samples, 100); i++) {
      const arch = space.sample(rng);
      const id = space.id(arch);
      if (pool.has(id) || this.history.asked.has(id)) continue;
      const vector = onehot(arch);
      let differing = 0;
      for (let j = 0; j < vector.length; j++) if (vector[j] !== center[j]) differing++;
      if (differing / 2 > this.options.radius) pool.set(id, arch);
    }
    return [...pool.values()];
  }

  /** Neighbours of the best, then mutants and samples, de-duplicated by id and without anything asked before. */
  private candidates(): A[] {
    const { space, rng } = this.context;
    const pool = new Map<string, A>();
    const offer = (arch: A) => {
      const id = space.id(arch);
      if (!pool.has(id) && !this.history.asked.has(id)) pool.set(id, arch);
    };
    const parents = this.history.best(this.options.parents).map((o) => o.arch);
    for (const parent of parents) for (const neighbour of space.neighbours(parent)) offer(neighbour);
    for (let i = 0; i < this.options.mutants; i++)
      offer(space.mutate(space.mutate(parents[rng.int(parents.length)]!, rng), rng));
    for (let i = 0; i < this.options.samples; i++) offer(space.sample(rng));
    return [...pool.values()];
  }
}
