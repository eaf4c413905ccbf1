import type { Incumbent } from '../incumbent';
import type { Observation, StrategyContext } from '../strategy';
import { InRunPredictor, type InRunPredictorOptions } from './in-run-predictor';

/** Random draws for an architecture the run has not asked yet before accepting a repeat. */
const UNSEEN_TRIES = 100;

/**
 * What a predictor-guided strategy knows of its own run: the ids it has asked (never asked twice), the observations it
 * was told at its fidelity (the only data its predictor is fitted on), and the predictor itself.
 */
export class GuidedHistory<A> {
  /** Ids asked so far, told or still out. */
  readonly asked = new Set<string>();
  /** Completed observations at the strategy's fidelity, in the order they were told. */
  readonly told: Observation<A>[] = [];
  readonly predictor: InRunPredictor<A>;
  private readonly warmup: number;

  constructor(
    private readonly context: StrategyContext<A>,
    options: InRunPredictorOptions,
    strategy: string,
    private readonly incumbent: Incumbent<A>,
  ) {
    this.predictor = new InRunPredictor(context.space, options, strategy);
    this.warmup = options.warmup;
  }

  /** Records an architecture as asked. */
  markAsked(arch: A): void {
    this.asked.add(this.context.space.id(arch));
  }

  /** True when the run has asked this architecture (by `space.id`). */
  hasAsked(arch: A): boolean {
    return this.asked.has(this.context.space.id(arch));
  }

  /** Takes told results: the incumbent sees all; the predictor only completed ones at the default fidelity. */
  tell(observations: readonly Observation<A>[]): void {
    for (const observation of observations) {
      this.incumbent.offer(observation);
      this.asked.add(observation.id);
      if (
        observation.stoppedEarly ||
        observation.fidelity !== this.context.defaultFidelity ||
        !Number.isFinite(observation.value)
      )
        continue;
      this.told.push(observation);
      this.predictor.observe(observation.arch, observation.value);
    }
  }

  /** A uniform sample the run has not asked (a repeat only after {@link UNSEEN_TRIES} draws), marked as asked. */
  sampleUnseen(): A {
    const { space, rng } = this.context;
    let arch = space.sample(rng);
    for (let i = 1; i < UNSEEN_TRIES && this.hasAsked(arch); i++) arch = space.sample(rng);
    this.markAsked(arch);
    return arch;
  }

  /**
   * An initial ask: a uniform sample the run has not asked, or, with a zero-cost `warmup` of k > 1, the highest-scoring of
   * k such samples (Abdelfattah et al.'s warm-up: a zero-cost proxy chooses where the run starts), marked as asked.
   */
  sampleInitial(): A {
    const score = this.predictor.zeroCost;
    if (score === null || this.warmup <= 1) return this.sampleUnseen();
    const { space, rng } = this.context;
    let best: A | null = null;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0, drawn = 0; drawn < this.warmup && i < this.warmup * UNSEEN_TRIES; i++) {
      const arch = space.sample(rng);
      if (this.hasAsked(arch)) continue;
      drawn++;
      const s = score.of(arch);
      if (s > bestScore) [best, bestScore] = [arch, s];
    }
    if (best === null) return this.sampleUnseen();
    this.markAsked(best);
    return best;
  }

  /** The `k` best told observations, best first (the earlier told of equals first). */
  best(k: number): Observation<A>[] {
    return this.told
      .map((observation, order) => ({ observation, order }))
      .sort((a, b) => b.observation.value - a.observation.value || a.order - b.order)
      .slice(0, k)
      .map((entry) => entry.observation);
  }
}
