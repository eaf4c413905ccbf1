/**
 * Metrics a run reports, in the ecosystem's names and units: accuracies in percent (0-100, as NAS-Bench-201 reports
 * them), losses as the framework reports them, times in seconds.
 */
export const Metric = {
  TRAIN_ACC: 'trainAcc',
  VALID_ACC: 'validAcc',
  TEST_ACC: 'testAcc',
  TRAIN_LOSS: 'trainLoss',
  VALID_LOSS: 'validLoss',
  TEST_LOSS: 'testLoss',
} as const;

/** One of {@link Metric}'s values. */
export type MetricName = (typeof Metric)[keyof typeof Metric];

/** Every metric, in a fixed order (the column order of releases). */
export const METRICS: readonly MetricName[] = Object.values(Metric);

/** Metrics that are accuracies, hence percentages that a `fraction` scale multiplies by 100. */
export const ACCURACY_METRICS: ReadonlySet<MetricName> = new Set([Metric.TRAIN_ACC, Metric.VALID_ACC, Metric.TEST_ACC]);

/** Type guard for metric names coming from mappings and queries. */
export function isMetricName(value: unknown): value is MetricName {
  return typeof value === 'string' && (METRICS as readonly string[]).includes(value);
}
