import { Arg, Float, Int, Query, Resolver } from 'type-graphql';
import { createParametricEnsemble } from '../../predictor/lce';
import { CurveForecastType } from './curve-forecast.type';
import { CurveScaleEnum, toCurveScale } from './curve-scale.enum';
import { toExtrapolationMethodEnum } from './extrapolation-method.enum';

/** Stateless, so one instance serves every request. */
const ensemble = createParametricEnsemble();

/** Learning-curve extrapolation. */
@Resolver()
export class ExtrapolateResolver {
  @Query(() => CurveForecastType, {
    description:
      'Forecast of a partial learning curve (value i is epoch i + 1) at targetEpoch, with 5/50/95% quantiles. Today always PARAMETRIC_ENSEMBLE (no training data needed); learned methods arrive with LCE predictors in the predictor store. Bad curves give INVALID_CURVE, curves over 100,000 points LIMIT_EXCEEDED; a one-point curve gives a wide interval.',
  })
  extrapolate(
    @Arg('curve', () => [Float], { description: 'Observed values, epochs 1..n.' }) curve: number[],
    @Arg('targetEpoch', () => Int, { description: 'Epoch to forecast, > n.' }) targetEpoch: number,
    @Arg('scale', () => CurveScaleEnum, { defaultValue: CurveScaleEnum.PERCENT }) scale: CurveScaleEnum,
  ): CurveForecastType {
    const forecast = ensemble.forecast(curve, { targetEpoch, scale: toCurveScale(scale) });
    return { ...forecast, method: toExtrapolationMethodEnum(forecast.method) };
  }
}
