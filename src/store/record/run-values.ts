import { METRICS, type MetricName } from '../../core';

/** Final or per-epoch values of one run, as stored. */
export type RunValues = Record<MetricName, number | null> & { trainSeconds: number | null };

/** snake_case column of each metric. */
export const METRIC_COLUMNS: Record<MetricName, string> = Object.fromEntries(
  METRICS.map((metric) => [metric, metric.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]),
) as Record<MetricName, string>;
