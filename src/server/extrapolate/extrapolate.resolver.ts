import { Arg, Ctx, Float, ID, Int, Query, Resolver } from 'type-graphql';
import type { MetricName } from '../../core';
import type { CurveScaleValue } from '../../predictor/lce';
import type { RequestContext } from '../context.type';
import { Metric } from '../record/metric.enum';
import { resolveRecordTarget } from '../record/record-target';
import { toPredictorType } from '../predictor/to-predictor-type';
import { CurveForecastType } from './curve-forecast.type';
import { CurveScale } from './curve-scale.enum';
import { forecastCurve } from './forecast-curve';

/** Learning-curve extrapolation. */
@Resolver()
export class ExtrapolateResolver {
  @Query(() => CurveForecastType, {
    description:
      'Forecast of a partial learning curve (value i is epoch i + 1) at targetEpoch, with 5/50/95% quantiles. With ' +
      '`space` and `dataset` (and optionally `protocol`, `arch`), the stored LCE extrapolator of that target serves when ' +
      "one is fitted and targetEpoch is the protocol's last epoch (KERNEL_RIDGE, or KERNEL_RIDGE_ARCH with `arch`); " +
      'otherwise PARAMETRIC_ENSEMBLE (no training data needed). Bad curves give INVALID_CURVE, curves over 100,000 ' +
      'points LIMIT_EXCEEDED; a one-point curve gives a wide interval.',
  })
  async extrapolate(
    @Ctx() ctx: RequestContext,
    @Arg('curve', () => [Float], { description: 'Observed values, epochs 1..n.' }) curve: number[],
    @Arg('targetEpoch', () => Int, { description: 'Epoch to forecast, > n.' }) targetEpoch: number,
    @Arg('scale', () => CurveScale, { defaultValue: CurveScale.PERCENT }) scale: CurveScaleValue,
    @Arg('space', () => ID, { nullable: true }) space?: string,
    @Arg('arch', () => String, { nullable: true, description: 'The architecture the curve belongs to (needs space).' })
    arch?: string,
    @Arg('dataset', () => String, { nullable: true }) dataset?: string,
    @Arg('protocol', () => String, {
      nullable: true,
      description:
        "Default: the dataset's full-budget protocol (most epochs) among those with records in `space` (any space without one).",
    })
    protocol?: string,
    @Arg('metric', () => Metric, { defaultValue: Metric.VALID_ACC, description: 'The metric the curve is of.' })
    metric: MetricName = Metric.VALID_ACC,
    @Arg('trainCurve', () => [Float], {
      nullable: true,
      description:
        "The run's training accuracy over the same epochs; stored models fitted with it use it as a second channel (the best measured method).",
    })
    trainCurve?: number[],
  ): Promise<CurveForecastType> {
    const target = dataset != null ? await resolveRecordTarget(ctx, { space: space ?? null, dataset, protocol }) : null;
    const { forecast, predictor, usedTrainCurve } = await forecastCurve(ctx, curve, targetEpoch, scale, {
      space,
      arch,
      target,
      metric,
      trainCurve,
    });
    return {
      ...forecast,
      predictor: predictor ? toPredictorType(predictor, await ctx.loaders.catalog()) : null,
      usedTrainCurve,
    };
  }
}
