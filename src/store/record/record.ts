import type { MetricName } from '../../core';

/** A metric's value in a record: a mean over `n` seeds (std population-wise), or one run's value (std null). */
export interface RecordValue {
  mean: number;
  std: number | null;
  n: number | null;
}

/** What a client reads for (architecture, dataset, protocol, epoch) under a seed choice. */
export interface RecordResult {
  epoch: number;
  /** Seeds whose runs were used; empty when the values are a published seed mean. */
  seeds: number[];
  /** True when some value is a mean published without its per-seed runs (e.g. NB201's summary table). */
  isPublishedMean: boolean;
  values: Partial<Record<MetricName, RecordValue>>;
  /** Total training seconds (mean over the seeds used), at the protocol's last epoch only. */
  trainSeconds: number | null;
}
