import type { FidelityInfo, Observation } from '../strategy';

/** An evaluation the runner starts. */
export interface Trial<A> {
  /** 0, 1, 2, … in start order. */
  seq: number;
  arch: A;
  /** `space.id(arch)`. */
  id: string;
  /** Index into the evaluator's fidelities. */
  fidelity: number;
}

/** A finished evaluation: what the strategy is told, plus when it finished and where it came from. */
export interface Evaluation<A> extends Observation<A> {
  /** The trial's start order. */
  seq: number;
  /** Seconds on the evaluator's clock when it finished. */
  finishedAt: number;
  /** Where the value came from: a stored record, or training this run asked for. */
  source: EvaluationSourceValue;
}

/** Where an evaluation's value came from. */
export const EvaluationSource = {
  /** A record already in the store (table mode, or a measured architecture in training mode). */
  RECORD: 'RECORD',
  /** Training this run requested. */
  TRAINED: 'TRAINED',
} as const;

/** One of {@link EvaluationSource}'s values. */
export type EvaluationSourceValue = (typeof EvaluationSource)[keyof typeof EvaluationSource];

/**
 * Evaluates architectures for a search run: `start` begins one (a table lookup on a simulated clock, or a training
 * job), `next` waits for the next to finish, in finish order. Its clock is what a time budget counts: simulated
 * seconds in table mode, wall seconds in training mode.
 */
export interface Evaluator<A> {
  /** The fidelity ladder, cheapest first. */
  readonly fidelities: readonly FidelityInfo[];
  /** The fidelity single-fidelity strategies observe. */
  readonly defaultFidelity: number;
  /** Seconds since the run started, on this evaluator's clock. */
  now(): number;
  /** Begins an evaluation. */
  start(trial: Trial<A>): Promise<void>;
  /** The next evaluation to finish, or null when none is running. */
  next(): Promise<Evaluation<A> | null>;
  /** Abandons what is still running (training mode cancels its jobs). */
  close(): Promise<void>;
}
