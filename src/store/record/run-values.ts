import { METRICS, type MetricName } from '../../core';
import { columnName } from '../column-name';

/** snake_case column of each metric. */
export const METRIC_COLUMNS: Record<MetricName, string> = Object.fromEntries(
  METRICS.map((metric) => [metric, columnName(metric)]),
) as Record<MetricName, string>;
