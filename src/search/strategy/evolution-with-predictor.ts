import { Incumbent } from './incumbent';
import { OptionReader } from './option-reader';
import { Acquisition } from './predictor/acquisition';
import { GuidedHistory } from './predictor/guided-history';
import { PriorMean, readInRunPredictorOptions, type InRunPredictorOptions } from './predictor/in-run-predictor';
import { ZeroCost } from './predictor/zero-cost';
import type { Observation, Strategy, StrategyContext, Suggestion } from './strategy';
import { StrategyName } from './strategy-name';

/** Options of {@link EvolutionWithPredictor}. */
export interface EvolutionWithPredictorOptions extends InRunPredictorOptions {
  /** Uniform samples asked before evolution starts. */
  initial: number;
  /** Members kept alive (aging: the oldest leaves), from which tournaments draw parents. */
  population: number;
  /** Tournament size: members drawn with replacement per parent. */
  sampleSize: number;
  /** Children a generation proposes (M), each a one-edit mutant of a tournament winner. */
  children: number;
  /** Children of a generation the predictor lets through to evaluation (k), best first. */
  select: number;
}

/**
 * Reads EVOLUTION_WITH_PREDICTOR's options; defaults: 10 initial, population 20, S = 3, M = 50 children, k = 1 by
 * Thompson sampling, with zero-cost information: the FLOPs score, a warm-up of the best of 10 samples per initial ask
 * and the GP's LINEAR prior mean in the score (`zeroCost=NONE` turns all three off).
 */
export function parseEvolutionWithPredictorOptions(
  raw: Readonly<Record<string, unknown>>,
): EvolutionWithPredictorOptions {
  const read = new OptionReader(StrategyName.EVOLUTION_WITH_PREDICTOR, raw);
  const options: EvolutionWithPredictorOptions = {
    initial: read.number('initial', 10, { min: 2, max: 100_000, integer: true }),
    population: read.number('population', 20, { min: 1, max: 100_000, integer: true }),
    sampleSize: read.number('sampleSize', 3, { min: 1, max: 100_000, integer: true }),
    children: read.number('children', 50, { min: 1, max: 100_000, integer: true }),
    select: read.number('select', 1, { min: 1, max: 100_000, integer: true }),
    ...readInRunPredictorOptions(read, {
      acquisition: Acquisition.THOMPSON,
      zeroCost: ZeroCost.FLOPS,
      warmup: 10,
      prior: PriorMean.LINEAR,
    }),
  };
  read.done();
  return options;
}

/**
 * Evolution with a predictor (NPENAS, Wei et al., IEEE TNNLS 2022): aging evolution whose generations propose
 * `children` one-edit mutants of tournament winners; the in-run predictor, fitted on the run's own observations, ranks
 * them and only the best `select` are evaluated, never an architecture the run asked before. Asks with several free
 * workers take the next children of the current generation and breed new generations as needed. By default the
 * predictor also reads a zero-cost score (log FLOPs from core's `cost`, no record): the initial samples are each the
 * best-scoring of 10, and the GP's prior mean is linear in the score. On nb201-cifar10-valid's tuning seeds
 * (1000–1199) that took the mean at a third of the budget from 90.81 to 91.01 and the final mean from 91.32 to 91.39
 * (docs/results/2026-12-05-search-predictors-3.md).
 */
export class EvolutionWithPredictor<A> implements Strategy<A> {
  readonly name = StrategyName.EVOLUTION_WITH_PREDICTOR;
  private readonly incumbent = new Incumbent<A>();
  private readonly history: GuidedHistory<A>;
  private readonly population: Observation<A>[] = [];
  /** Selected children of the last generation not asked yet. */
  private queue: A[] = [];
  private initialAsked = 0;

  constructor(
    private readonly context: StrategyContext<A>,
    private readonly options: EvolutionWithPredictorOptions,
  ) {
    this.history = new GuidedHistory(context, options, this.name, this.incumbent);
  }

  async ask(n: number): Promise<Suggestion<A>[]> {
    const out: A[] = [];
    while (out.length < n && this.initialAsked < this.options.initial) {
      out.push(this.history.sampleInitial());
      this.initialAsked++;
    }
    while (out.length < n && this.history.told.length >= 2 && this.population.length > 0) {
      if (this.queue.length === 0) this.queue = this.generation();
      const child = this.queue.shift();
      // A generation whose every child was asked before: a fresh sample instead.
      const arch = child ?? this.history.sampleUnseen();
      this.history.markAsked(arch);
      out.push(arch);
    }
    return out.map((arch) => ({ arch, fidelity: this.context.defaultFidelity }));
  }

  tell(observations: readonly Observation<A>[]): void {
    const before = this.history.told.length;
    this.history.tell(observations);
    for (const observation of this.history.told.slice(before)) {
      this.population.push(observation);
      if (this.population.length > this.options.population) this.population.shift();
    }
  }

  recommend(): A | null {
    return this.incumbent.arch;
  }

  /** M mutants of tournament winners, without repeats or anything asked, ranked by the predictor; the best k. */
  private generation(): A[] {
    const { space, rng } = this.context;
    const children = new Map<string, A>();
    for (let i = 0; i < this.options.children; i++) {
      const child = space.mutate(this.tournament(), rng);
      const id = space.id(child);
      if (!children.has(id) && !this.history.asked.has(id)) children.set(id, child);
    }
    return this.history.predictor.best([...children.values()], this.options.select, rng);
  }

  /** The best of `sampleSize` members drawn with replacement (the first drawn of equals). */
  private tournament(): A {
    const { rng } = this.context;
    let best: Observation<A> | null = null;
    for (let i = 0; i < this.options.sampleSize; i++) {
      const candidate = this.population[rng.int(this.population.length)]!;
      if (best === null || candidate.value > best.value) best = candidate;
    }
    return best!.arch;
  }
}
