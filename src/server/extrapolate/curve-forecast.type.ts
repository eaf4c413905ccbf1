import { Field, Float, ObjectType } from 'type-graphql';
import { ExtrapolationMethodEnum } from './extrapolation-method.enum';

/** Where a partial learning curve is expected to be at a target epoch. */
@ObjectType('CurveForecast', { description: "A learning-curve forecast at the target epoch, in the curve's own scale, with its 5/50/95% quantiles." })
export class CurveForecastType {
  @Field(() => Float, { description: 'Mean of the forecast distribution.' })
  mean: number;

  @Field(() => Float, { description: '5% quantile.' })
  q05: number;

  @Field(() => Float, { description: 'Median.' })
  q50: number;

  @Field(() => Float, { description: '95% quantile.' })
  q95: number;

  @Field(() => ExtrapolationMethodEnum, { description: 'How the forecast was made.' })
  method: ExtrapolationMethodEnum;
}
