import type { Rng, SearchSpace } from '../../core';
import type { StrategyNameValue } from './strategy-name';

/** One rung of a run's fidelity ladder, as strategies see it (cheapest first). */
export interface FidelityInfo {
  /** The protocol evaluated at this rung, e.g. `hp=12`. */
  protocol: string;
  /** Training epochs of that protocol: what multi-fidelity strategies compare. */
  epochs: number;
}

/** An architecture a strategy asks to have evaluated. */
export interface Suggestion<A> {
  arch: A;
  /** Index into {@link StrategyContext.fidelities}; single-fidelity strategies pass `defaultFidelity`. */
  fidelity: number;
}

/** The result of one evaluation, as the strategy is told it. */
export interface Observation<A> {
  arch: A;
  /** `space.id(arch)`. */
  id: string;
  /** Index into {@link StrategyContext.fidelities}. */
  fidelity: number;
  /** The objective, higher is better (validation accuracy in percent for every shipped preset). */
  value: number;
  /** Seconds the evaluation cost (simulated in table mode, measured in training mode). */
  cost: number;
  /** True when training was stopped early: `value` is the last epoch reached, not the protocol's final value. */
  stoppedEarly: boolean;
}

/** What every strategy is built from; a strategy is a pure function of this and the asks and tells it gets. */
export interface StrategyContext<A> {
  /** Core's space: sample, mutate, neighbours, encode, format, id. */
  space: SearchSpace<A>;
  /** The run's only randomness: `createRng(seed)`. */
  rng: Rng;
  /** The fidelities the evaluator offers, cheapest first (at least one). */
  fidelities: readonly FidelityInfo[];
  /** The fidelity single-fidelity strategies observe (the preset's search signal, e.g. hp=12). */
  defaultFidelity: number;
}

/**
 * An ask/tell search strategy (Optuna's and Syne Tune's shape). `ask` may be async because a predictor-based strategy
 * fits a model first; `tell` is cheap and synchronous. Results arrive in the order evaluations finish, which in a run
 * with several workers is not the order they were asked. Replaying the same sequence of asks and tells into a strategy
 * built from the same context gives the same suggestions: a run can be rebuilt from its trial log.
 */
export interface Strategy<A = unknown> {
  /** The registry name it was built under. */
  readonly name: StrategyNameValue;
  /**
   * Up to `n` architectures to evaluate now (`n` free workers). Fewer, even none, means "wait for results first"; none
   * while nothing is being evaluated means the strategy has nothing left to ask (the runner ends the run).
   */
  ask(n: number): Promise<Suggestion<A>[]>;
  /** Results of finished evaluations, in finish order. */
  tell(observations: readonly Observation<A>[]): void;
  /** The architecture the strategy would return now (its incumbent), or null before it has one. */
  recommend(): A | null;
}
