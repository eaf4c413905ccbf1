import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { MetricName } from '../../core';
import { Metric } from './metric.enum';

/** Where an estimate's value comes from. */
export enum EstimateSource {
  MEASURED = 'MEASURED',
  PREDICTED = 'PREDICTED',
  NOT_AVAILABLE = 'NOT_AVAILABLE',
}
registerEnumType(EstimateSource, {
  name: 'EstimateSource',
  description:
    'MEASURED: a stored record; PREDICTED: a surrogate predictor; NOT_AVAILABLE: neither exists (value is null).',
});

/** A metric of an architecture: measured when a record exists, otherwise predicted or explicitly not available. */
@ObjectType('Estimate', { description: 'A metric value that always says where it came from.' })
export class EstimateType {
  @Field(() => Metric)
  metric: MetricName;

  @Field()
  dataset: string;

  @Field()
  protocol: string;

  @Field(() => Int)
  epoch: number;

  @Field(() => EstimateSource)
  source: EstimateSource;

  @Field(() => Float, { nullable: true, description: 'The value (percent for accuracies); null when NOT_AVAILABLE.' })
  value: number | null;

  @Field(() => Float, { nullable: true, description: 'Std over seeds (MEASURED) or predictive std (PREDICTED).' })
  std: number | null;

  @Field(() => Int, { nullable: true, description: 'Seeds behind a MEASURED value.' })
  n: number | null;
}
