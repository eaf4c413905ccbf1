import { registerEnumType } from 'type-graphql';
import { Metric as CoreMetric, type MetricName } from '../../core';

/** GraphQL spelling of core's metrics (SCREAMING_SNAKE values map to core's camelCase names). */
export enum MetricEnum {
  TRAIN_ACC = 'TRAIN_ACC',
  VALID_ACC = 'VALID_ACC',
  TEST_ACC = 'TEST_ACC',
  TRAIN_LOSS = 'TRAIN_LOSS',
  VALID_LOSS = 'VALID_LOSS',
  TEST_LOSS = 'TEST_LOSS',
}

registerEnumType(MetricEnum, {
  name: 'Metric',
  description: 'A run metric. Accuracies are in percent (0-100), as NAS-Bench-201 reports them; losses as reported.',
});

/** core's metric name for a GraphQL metric. */
export function toMetricName(metric: MetricEnum): MetricName {
  return CoreMetric[metric];
}
