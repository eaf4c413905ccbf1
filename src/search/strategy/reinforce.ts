import { ErrorCode, NashubError } from '../../core';
import { decisionViewOf, type DecisionView } from './decision/decision-view';
import { Incumbent } from './incumbent';
import { OptionReader } from './option-reader';
import { SoftmaxPolicy } from './softmax-policy';
import type { Observation, Strategy, StrategyContext, Suggestion } from './strategy';
import { StrategyName } from './strategy-name';

/** What REINFORCE returns at the end. */
export const ReinforceAnswer = {
  /** The best observation (NAS-Bench-201's `reinforce.py` since its second version: `max(trace)`). */
  BEST_OBSERVED: 'BEST_OBSERVED',
  /** The policy's most likely architecture (that script's first version: `policy.genotype()`). */
  POLICY_ARGMAX: 'POLICY_ARGMAX',
} as const;

/** One of {@link ReinforceAnswer}'s values. */
export type ReinforceAnswerValue = (typeof ReinforceAnswer)[keyof typeof ReinforceAnswer];

/** Options of {@link Reinforce}. */
export interface ReinforceOptions {
  /** Adam's step size on the policy's logits (see the preset for the value NAS-Bench-201's scripts pass). */
  learningRate: number;
  /** Momentum of the reward's exponential moving average, the baseline (NAS-Bench-201: 0.9). */
  emaMomentum: number;
  /** Which architecture the run returns. */
  answer: ReinforceAnswerValue;
}

/** Reads REINFORCE's options: learning rate 0.01 (NATS-Bench's `reinforce.py`), EMA momentum 0.9, best observed. */
export function parseReinforceOptions(raw: Readonly<Record<string, unknown>>): ReinforceOptions {
  const read = new OptionReader(StrategyName.REINFORCE, raw);
  const options: ReinforceOptions = {
    learningRate: read.number('learningRate', 0.01, { min: 0, max: 100 }),
    emaMomentum: read.number('emaMomentum', 0.9, { min: 0, max: 0.999999 }),
    answer: read.oneOf('answer', Object.values(ReinforceAnswer), ReinforceAnswer.BEST_OBSERVED),
  };
  read.done();
  return options;
}

/** Draws of a decision vector that must form a valid architecture (NB101 and DARTS reject some) before giving up. */
const MAX_DRAWS = 10_000;

/**
 * REINFORCE as NAS-Bench-201's baseline (`exps/NAS-Bench-201-algos/reinforce.py`, after Williams 1992): one softmax
 * over the choices of each decision of the cell, logits initialised to 1e-3 · N(0, 1), Adam on
 * −log π(a) · (reward − baseline), where the baseline is the bias-corrected EMA of rewards updated with the reward
 * before the advantage is taken (so the first step moves nothing). A vector that is not an architecture is drawn
 * again. With several workers the gradient of each result is taken at the policy it finds when it arrives. A run
 * stopped early is rewarded its last value (the forecast said it would lose).
 */
export class Reinforce<A> implements Strategy<A> {
  readonly name = StrategyName.REINFORCE;
  private readonly view: DecisionView<A>;
  private readonly policy: SoftmaxPolicy;
  private readonly incumbent = new Incumbent<A>();
  /** Decisions behind each suggestion not yet told, by architecture id (FIFO: the same id may be out twice). */
  private readonly pending = new Map<string, number[][]>();
  private emaNumerator = 0;
  private emaDenominator = 0;

  constructor(
    private readonly context: StrategyContext<A>,
    private readonly options: ReinforceOptions,
  ) {
    const view = decisionViewOf(context.space);
    if (view === null) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `REINFORCE needs a space with a decision view; ${context.space.name} has none`,
        {
          details: { strategy: this.name, space: context.space.name },
        },
      );
    }
    this.view = view;
    this.policy = new SoftmaxPolicy({ sizes: view.sizes, rng: context.rng, learningRate: options.learningRate });
  }

  async ask(n: number): Promise<Suggestion<A>[]> {
    const out: Suggestion<A>[] = [];
    for (let i = 0; i < n; i++) {
      const { arch, decisions } = this.draw();
      const id = this.context.space.id(arch);
      const queue = this.pending.get(id);
      if (queue) queue.push(decisions);
      else this.pending.set(id, [decisions]);
      out.push({ arch, fidelity: this.context.defaultFidelity });
    }
    return out;
  }

  tell(observations: readonly Observation<A>[]): void {
    for (const observation of observations) {
      this.incumbent.offer(observation);
      const queue = this.pending.get(observation.id);
      const decisions = queue?.shift() ?? this.view.toDecisions(observation.arch);
      if (queue?.length === 0) this.pending.delete(observation.id);
      const m = this.options.emaMomentum;
      this.emaNumerator = m * this.emaNumerator + (1 - m) * observation.value;
      this.emaDenominator = m * this.emaDenominator + (1 - m);
      this.policy.reinforce(decisions, observation.value - this.emaNumerator / this.emaDenominator);
    }
  }

  recommend(): A | null {
    if (this.options.answer === ReinforceAnswer.POLICY_ARGMAX)
      return this.view.fromDecisions(this.policy.argmax()) ?? this.incumbent.arch;
    return this.incumbent.arch;
  }

  private draw(): { arch: A; decisions: number[] } {
    for (let i = 0; i < MAX_DRAWS; i++) {
      const decisions = this.policy.sample();
      const arch = this.view.fromDecisions(decisions);
      if (arch !== null) return { arch, decisions };
    }
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `REINFORCE drew ${MAX_DRAWS} decision vectors and none was a valid ${this.context.space.name} architecture`,
      {
        details: { strategy: this.name, space: this.context.space.name },
      },
    );
  }
}
