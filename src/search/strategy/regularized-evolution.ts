import { ErrorCode, NashubError } from '../../core';
import { decisionViewOf, type DecisionView } from './decision/decision-view';
import { Incumbent } from './incumbent';
import { OptionReader } from './option-reader';
import type { Observation, Strategy, StrategyContext, Suggestion } from './strategy';
import { StrategyName } from './strategy-name';

/** Which member a new child pushes out of a full population. */
export const RemovalPolicy = {
  /** Aging (Real et al. 2019, NAS-Bench-201's `R_EA.py`): the oldest member. */
  OLDEST: 'OLDEST',
  /** Non-aging evolution: the worst member (the first of equals). */
  WORST: 'WORST',
} as const;

/** One of {@link RemovalPolicy}'s values. */
export type RemovalPolicyValue = (typeof RemovalPolicy)[keyof typeof RemovalPolicy];

/** Options of {@link RegularizedEvolution}. */
export interface RegularizedEvolutionOptions {
  /** Members kept alive, P (NAS-Bench-201: 10); the first P suggestions are uniform samples. */
  population: number;
  /** Tournament size S: members drawn with replacement per parent, as `R_EA.py` draws them (NAS-Bench-201: 3). */
  sampleSize: number;
  /** Which member a child replaces once the population is full. */
  removal: RemovalPolicyValue;
  /**
   * Probability that a child is the uniform crossover of two tournament winners (then mutated) rather than a mutant
   * of one; 0 (NAS-Bench-201) means mutation only. Needs a space with a decision view (nb201, nb101, darts).
   */
  crossover: number;
}

/** Reads REGULARIZED_EVOLUTION's options; defaults are NAS-Bench-201's (P = 10, S = 3, aging, no crossover). */
export function parseRegularizedEvolutionOptions(raw: Readonly<Record<string, unknown>>): RegularizedEvolutionOptions {
  const read = new OptionReader(StrategyName.REGULARIZED_EVOLUTION, raw);
  const options: RegularizedEvolutionOptions = {
    population: read.number('population', 10, { min: 1, max: 100_000, integer: true }),
    sampleSize: read.number('sampleSize', 3, { min: 1, max: 100_000, integer: true }),
    removal: read.oneOf('removal', Object.values(RemovalPolicy), RemovalPolicy.OLDEST),
    crossover: read.number('crossover', 0, { min: 0, max: 1 }),
  };
  read.done();
  return options;
}

/** Draws of a crossover child that must form a valid architecture before falling back to plain mutation. */
const CROSSOVER_TRIES = 20;

/**
 * Regularized (aging) evolution, Real et al. 2019 Algorithm 1 as NAS-Bench-201's `R_EA.py` runs it: P random
 * members, then each child mutates the best of S members drawn with replacement, joins the population when its
 * result arrives, and the oldest member leaves. With several workers a child is bred from whoever has reported so
 * far (asking waits while the population is still empty). Returns the best observation of the whole history.
 */
export class RegularizedEvolution<A> implements Strategy<A> {
  readonly name = StrategyName.REGULARIZED_EVOLUTION;
  private readonly population: Observation<A>[] = [];
  private readonly incumbent = new Incumbent<A>();
  private readonly decisions: DecisionView<A> | null;
  private asked = 0;

  constructor(
    private readonly context: StrategyContext<A>,
    private readonly options: RegularizedEvolutionOptions,
  ) {
    this.decisions = decisionViewOf(context.space);
    if (options.crossover > 0 && this.decisions === null) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `REGULARIZED_EVOLUTION option crossover needs a space with a decision view; ${context.space.name} has none`,
        {
          details: { strategy: this.name, option: 'crossover', space: context.space.name },
        },
      );
    }
  }

  async ask(n: number): Promise<Suggestion<A>[]> {
    const { space, rng, defaultFidelity } = this.context;
    const out: Suggestion<A>[] = [];
    while (out.length < n) {
      if (this.asked < this.options.population) out.push({ arch: space.sample(rng), fidelity: defaultFidelity });
      else if (this.population.length > 0) out.push({ arch: this.child(), fidelity: defaultFidelity });
      else break;
      this.asked++;
    }
    return out;
  }

  tell(observations: readonly Observation<A>[]): void {
    for (const observation of observations) {
      this.incumbent.offer(observation);
      this.population.push(observation);
      if (this.population.length > this.options.population) this.population.splice(this.victim(), 1);
    }
  }

  recommend(): A | null {
    return this.incumbent.arch;
  }

  private child(): A {
    const { space, rng } = this.context;
    const parent = this.tournament();
    if (this.options.crossover > 0 && rng.next() < this.options.crossover) {
      const mixed = this.crossover(parent, this.tournament());
      if (mixed !== null) return space.mutate(mixed, rng);
    }
    return space.mutate(parent, rng);
  }

  /** The best of `sampleSize` members drawn with replacement; the first drawn of equals wins, as Python's `max`. */
  private tournament(): A {
    const { rng } = this.context;
    let best: Observation<A> | null = null;
    for (let i = 0; i < this.options.sampleSize; i++) {
      const candidate = this.population[rng.int(this.population.length)];
      if (best === null || candidate.value > best.value) best = candidate;
    }
    return best!.arch;
  }

  private crossover(a: A, b: A): A | null {
    const view = this.decisions!;
    const { rng } = this.context;
    const [da, db] = [view.toDecisions(a), view.toDecisions(b)];
    for (let i = 0; i < CROSSOVER_TRIES; i++) {
      const child = view.fromDecisions(da.map((d, k) => (rng.next() < 0.5 ? d : db[k])));
      if (child !== null) return child;
    }
    return null;
  }

  private victim(): number {
    if (this.options.removal === RemovalPolicy.OLDEST) return 0;
    let worst = 0;
    for (let i = 1; i < this.population.length; i++)
      if (this.population[i].value < this.population[worst].value) worst = i;
    return worst;
  }
}
