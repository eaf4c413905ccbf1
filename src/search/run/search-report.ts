import type { MetricName } from '../../core';
import type { StrategyNameValue } from '../strategy';

/** How a run evaluated architectures. */
export const SearchMode = {
  /** Simulated: stored records on a simulated clock. */
  TABLE: 'TABLE',
  /** Real: training jobs for what the store lacks. */
  TRAINING: 'TRAINING',
} as const;

/** One of {@link SearchMode}'s values. */
export type SearchModeValue = (typeof SearchMode)[keyof typeof SearchMode];

/** One change of the run's answer, with what the report knows of it. */
export interface SearchReportPoint {
  /** The evaluator's clock (simulated or wall seconds). */
  seconds: number;
  evaluations: number;
  arch: string;
  /** The best value the run observed for it at the default fidelity, or null (a policy's argmax may be unobserved). */
  observed: number | null;
  /** Its reported metric, looked up by the report, or null when the store lacks it. */
  final: number | null;
}

/** The one JSON object `nashub search` prints. */
export interface SearchReport {
  space: string;
  dataset: string;
  preset: string | null;
  mode: SearchModeValue;
  strategy: StrategyNameValue;
  strategyOptions: Readonly<Record<string, unknown>>;
  seed: number;
  workers: number;
  budget: { seconds: number } | { evaluations: number };
  /** The returned architecture (canonical), or null when nothing finished within the budget. */
  arch: string | null;
  /** Its id in the space. */
  id: string | null;
  /** Its observed value at the observed protocol, as the run saw it. */
  observed: { protocol: string; metric: MetricName; value: number | null };
  /** Its reported metric under the final protocol. */
  final: { protocol: string; metric: MetricName; value: number | null };
  /** Table mode: the table's best final value minus the returned architecture's. */
  regret: number | null;
  /** Evaluations told to the strategy. */
  evaluations: number;
  /** Evaluations that ended past a time budget (paid, never told). */
  discarded: number;
  /** Evaluations stopped early by the curve forecast (training mode). */
  stoppedEarly: number;
  /** Training mode: evaluations whose job failed or was cancelled by someone else (never told). */
  failed?: number;
  /** Of the told evaluations, how many used a stored record instead of training. */
  fromRecords: number;
  /** Clock at the last told evaluation. */
  seconds: number;
  /** Wall seconds the run took. */
  wallSeconds: number;
  /** True when the strategy ran out of things to ask. */
  exhausted: boolean;
  trajectory: SearchReportPoint[];
}
