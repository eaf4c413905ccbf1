import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { MetricName } from '../../core';
import { StoredPredictorKind, type StoredPredictorKindValue } from '../../predictors/stored-predictor-kind';
import { PredictorStatus, type PredictorStatusValue } from '../../store/predictor';
import { Metric } from '../record/metric.enum';

// The stored kinds and statuses are the one vocabulary: GraphQL registers them as they are.
registerEnumType(StoredPredictorKind, {
  name: 'PredictorKind',
  description:
    'MLP on path encodings; GNN on the cell graph; ENSEMBLE of seeded MLPs (mean and std); SEMI: semi-supervised on the ' +
    "space's unlabelled architectures; LINEAR: ridge regression on one-hot encodings (a baseline).",
});

registerEnumType(PredictorStatus, {
  name: 'PredictorStatus',
  description:
    'TRAINING: a fit job is running or queued; READY; FAILED (see error); STALE: new runs arrived since the fit — it still serves.',
});

@ObjectType('PredictorMetrics', { description: 'Quality on the 20% of records held out of the fit.' })
export class PredictorMetricsType {
  @Field(() => Float, { description: 'Kendall tau-b between predicted and true values.' })
  kendallTau: number;

  @Field(() => Float)
  spearman: number;

  @Field(() => Float, { description: "Mean absolute error, in the metric's units (percentage points for accuracies)." })
  mae: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Spearman correlation of |error| with the predicted std (> 0: the std means something); null for single models.',
  })
  stdErrorSpearman: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of held-out values within mean ± 1.645·std (nominal 90%).',
  })
  coverage90: number | null;

  @Field(() => Int)
  heldOut: number;
}

@ObjectType('Predictor', { description: 'One fitted (or fitting) version of a surrogate predictor.' })
export class PredictorType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  space: string;

  @Field()
  dataset: string;

  @Field()
  protocol: string;

  @Field(() => Metric)
  metric: MetricName;

  @Field(() => Int, { nullable: true, description: "Epoch of the metric; null: the protocol's final value." })
  epoch: number | null;

  @Field(() => StoredPredictorKind)
  kind: StoredPredictorKindValue;

  @Field(() => PredictorStatus)
  status: PredictorStatusValue;

  @Field({ description: 'True when new runs arrived for its (space, dataset, protocol) after the fit.' })
  isStale: boolean;

  @Field(() => Float, { description: 'Fit progress, 0..1.' })
  progress: number;

  @Field(() => Int, { nullable: true, description: 'Records the model was fitted on.' })
  trainSize: number | null;

  @Field(() => Int, { description: 'Records skipped for a missing or NaN target.' })
  skippedTargets: number;

  @Field(() => Int)
  seed: number;

  @Field(() => PredictorMetricsType, { nullable: true })
  metrics: PredictorMetricsType | null;

  @Field(() => String, { nullable: true })
  error: string | null;

  @Field()
  nashubVersion: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;
}

@ObjectType('Prediction', { description: "A predictor's estimate of one architecture." })
export class PredictionType {
  @Field(() => Float, { description: 'Predicted value (percent for accuracies).' })
  mean: number;

  @Field(() => Float, { description: 'Predictive std (ensemble spread); 0 for single models.' })
  std: number;

  @Field(() => PredictorType)
  predictor: PredictorType;
}
