/** How a search run's trials are evaluated. */
export const SearchRunMode = {
  /** Simulated: every asked trial carries the stored record's value and simulated cost, which the worker tells back. */
  TABLE: 'TABLE',
  /** Workers evaluate however they like (their own GPUs) and tell value and cost. */
  EXTERNAL: 'EXTERNAL',
  /** nashub's trainer trains what has no record; the server tells the run itself. */
  TRAINING: 'TRAINING',
} as const;
/** One of {@link SearchRunMode}'s values. */
export type SearchRunModeValue = (typeof SearchRunMode)[keyof typeof SearchRunMode];

/** A search run's lifecycle. */
export const SearchRunStatus = {
  RUNNING: 'RUNNING',
  /** The budget is spent (or the strategy has nothing left to ask) and every trial is settled. */
  FINISHED: 'FINISHED',
  /** `stopSearchRun`: nothing more is asked or told. */
  STOPPED: 'STOPPED',
} as const;
/** One of {@link SearchRunStatus}'s values. */
export type SearchRunStatusValue = (typeof SearchRunStatus)[keyof typeof SearchRunStatus];

/** A trial's lifecycle: ASKED → (RUNNING on a heartbeat) → TOLD | FAILED | EXPIRED (its lease lapsed). */
export const SearchTrialState = {
  ASKED: 'ASKED',
  RUNNING: 'RUNNING',
  TOLD: 'TOLD',
  FAILED: 'FAILED',
  EXPIRED: 'EXPIRED',
} as const;
/** One of {@link SearchTrialState}'s values. */
export type SearchTrialStateValue = (typeof SearchTrialState)[keyof typeof SearchTrialState];

/** Kinds of a run's event log, the sequence a strategy is rebuilt from. */
export const SearchEventKind = {
  /** The strategy was asked for `n` suggestions. */
  ASK: 'ASK',
  /** The strategy was told one trial's result. */
  TELL: 'TELL',
} as const;
/** One of {@link SearchEventKind}'s values. */
export type SearchEventKindValue = (typeof SearchEventKind)[keyof typeof SearchEventKind];
