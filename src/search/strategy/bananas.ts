import { Incumbent } from './incumbent';
import { OptionReader } from './option-reader';
import { Acquisition } from './predictor/acquisition';
import { GuidedHistory } from './predictor/guided-history';
import { readInRunPredictorOptions, type InRunPredictorOptions } from './predictor/in-run-predictor';
import type { Observation, Strategy, StrategyContext, Suggestion } from './strategy';
import { StrategyName } from './strategy-name';

/** Options of {@link Bananas}. */
export interface BananasOptions extends InRunPredictorOptions {
  /** Uniform samples asked before the predictor guides (BANANAS: 10). */
  initial: number;
  /** Best observations whose one-edit neighbours are candidates (NASLib's `num_arches_to_mutate`, widened). */
  parents: number;
  /** Extra candidates per ask: two-edit mutants of random parents (0: neighbours only). */
  mutants: number;
  /** Extra candidates per ask: uniform samples, so the acquisition can jump away from the parents (0: none). */
  samples: number;
}

/** Reads BANANAS' options; defaults: 10 initial samples, neighbours of the 10 best, Thompson sampling on the path encoding. */
export function parseBananasOptions(raw: Readonly<Record<string, unknown>>): BananasOptions {
  const read = new OptionReader(StrategyName.BANANAS, raw);
  const options: BananasOptions = {
    initial: read.number('initial', 10, { min: 2, max: 100_000, integer: true }),
    parents: read.number('parents', 10, { min: 1, max: 10_000, integer: true }),
    mutants: read.number('mutants', 0, { min: 0, max: 100_000, integer: true }),
    samples: read.number('samples', 0, { min: 0, max: 100_000, integer: true }),
    ...readInRunPredictorOptions(read, { acquisition: Acquisition.THOMPSON }),
  };
  read.done();
  return options;
}

/**
 * BANANAS-like Bayesian optimisation (White, Neiswanger & Savani, AAAI 2021; NASLib's `Bananas`): `initial` uniform
 * samples, then each ask fits the in-run predictor on the run's own observations, scores every one-edit neighbour of the
 * `parents` best observations (plus optional two-edit mutants and uniform samples) by the acquisition, and asks the top
 * ones, never an architecture the run has asked before (by `space.id`). With n free workers it asks the n best at once
 * (NASLib's batch of k). Porting note: the predictor is a Gaussian process (see {@link InRunPredictor}), not an ensemble of
 * MLPs, and it is refitted on every ask that has new results rather than every 10 evaluations.
 */
export class Bananas<A> implements Strategy<A> {
  readonly name = StrategyName.BANANAS;
  private readonly incumbent = new Incumbent<A>();
  private readonly history: GuidedHistory<A>;
  private initialAsked = 0;

  constructor(
    private readonly context: StrategyContext<A>,
    private readonly options: BananasOptions,
  ) {
    this.history = new GuidedHistory(context, options, this.name, this.incumbent);
  }

  async ask(n: number): Promise<Suggestion<A>[]> {
    const { defaultFidelity } = this.context;
    const out: A[] = [];
    while (out.length < n && this.initialAsked < this.options.initial) {
      out.push(this.history.sampleUnseen());
      this.initialAsked++;
    }
    // The GP needs two observations to standardise its targets; until then the run waits for results.
    if (out.length < n && this.history.told.length >= 2) {
      const chosen = this.history.predictor.best(this.candidates(), n - out.length, this.context.rng);
      for (const arch of chosen) this.history.markAsked(arch);
      out.push(...chosen);
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
