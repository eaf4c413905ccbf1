import { Field, Float, ObjectType } from 'type-graphql';
import type { ExtrapolationMethodValue } from '../../predictor/lce';
import { ExtrapolationMethod } from './extrapolation-method.enum';
import { PredictorType } from '../predictor/predictor.type';

/** Where a partial learning curve is expected to be at a target epoch. */
@ObjectType('CurveForecast', {
  description: "A learning-curve forecast at the target epoch, in the curve's own scale, with its 5/50/95% quantiles.",
})
export class CurveForecastType {
  @Field(() => Float, { description: 'Mean of the forecast distribution.' })
  mean: number;

  @Field(() => Float, { description: '5% quantile.' })
  q05: number;

  @Field(() => Float, { description: 'Median.' })
  q50: number;

  @Field(() => Float, { description: '95% quantile.' })
  q95: number;

  @Field(() => ExtrapolationMethod, { description: 'How the forecast was made.' })
  method: ExtrapolationMethodValue;

  @Field(() => PredictorType, {
    nullable: true,
    description: 'The stored LCE predictor that made the forecast; null for the parametric ensemble.',
  })
  predictor: PredictorType | null;

  @Field({ description: "True when the stored model also read the run's training-accuracy curve." })
  usedTrainCurve: boolean;
}
