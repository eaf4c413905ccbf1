import type { SearchSpace } from '../../../core';
import { dartsDecisionView } from './darts-decision-view';
import { nb101DecisionView } from './nb101-decision-view';
import { nb201DecisionView } from './nb201-decision-view';

/**
 * A space seen as a fixed list of categorical decisions: what a REINFORCE policy samples (one softmax per decision,
 * as NAS-Bench-201's `Policy` has one per edge) and what uniform crossover mixes. Not every decision vector is an
 * architecture (an NB101 cell with no input → output path, a DARTS node reading one state twice): `fromDecisions`
 * says so with null, and callers draw again.
 */
export interface DecisionView<A> {
  /** Number of choices of each decision. */
  readonly sizes: readonly number[];
  /** The decisions that give this architecture back. */
  toDecisions(arch: A): number[];
  /** The canonical architecture of a decision vector, or null when the vector is not a valid architecture. */
  fromDecisions(decisions: readonly number[]): A | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- views of different architecture types in one table
const VIEWS: Record<string, DecisionView<any>> = {
  nb201: nb201DecisionView,
  nb101: nb101DecisionView,
  darts: dartsDecisionView,
};

/** The decision view of a space, or null for a space that has none (REINFORCE and crossover refuse it). */
export function decisionViewOf<A>(space: SearchSpace<A>): DecisionView<A> | null {
  return (VIEWS[space.name] as DecisionView<A> | undefined) ?? null;
}
