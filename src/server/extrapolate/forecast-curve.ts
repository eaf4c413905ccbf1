import { ErrorCode, NashubError, getSpace, type MetricName } from '../../core';
import { createParametricEnsemble, type CurveForecast, type CurveScaleValue } from '../../predictor/lce';
import type { PredictorRow } from '../../store/predictor';
import type { RequestContext } from '../context.type';
import type { RecordTarget } from '../record/record-target';
import { CostUnits } from '../limit/field-costs';

/** Stateless, so one instance serves every request. */
const parametric = createParametricEnsemble();

/** What a forecast is for, when the caller says. */
export interface ForecastContext {
  space?: string | null;
  arch?: string | null;
  /** The curve's (dataset, protocol); with it, the stored LCE extrapolator of that target may serve. */
  target?: RecordTarget | null;
  metric: MetricName;
  /** The run's training-accuracy curve over the same epochs: a second channel for stored models fitted with it. */
  trainCurve?: readonly number[] | null;
}

/**
 * Forecasts a partial curve: with a record target whose LCE predictor is fitted (READY or STALE) and a target epoch
 * equal to the protocol's last (what learned extrapolators are trained for), the learned model (with the architecture
 * when given and the model uses one); otherwise the parametric ensemble, which needs no training data.
 */
export async function forecastCurve(
  ctx: RequestContext,
  curve: readonly number[],
  targetEpoch: number,
  scale: CurveScaleValue,
  context: ForecastContext,
): Promise<{ forecast: CurveForecast; predictor: PredictorRow | null; usedTrainCurve: boolean }> {
  if (context.arch != null && context.space == null) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'arch needs space', { details: { argument: 'space' } });
  }
  let arch: string | undefined;
  if (context.space != null) {
    const space = getSpace(context.space);
    if (context.arch != null) arch = space.format(space.parse(context.arch));
  }
  const target = context.target;
  if (target && context.space != null && targetEpoch === target.protocol.epochs) {
    const row = await ctx.loaders.servingPredictor.load({
      space: context.space,
      datasetId: target.dataset.id,
      protocolId: target.protocol.id,
      metric: context.metric,
      epoch: null,
      kind: 'LCE',
    });
    if (row) {
      if (context.trainCurve && context.trainCurve.length !== curve.length) {
        throw new NashubError(
          ErrorCode.INVALID_CURVE,
          `trainCurve has ${context.trainCurve.length} values, curve has ${curve.length}`,
          { details: { argument: 'trainCurve' } },
        );
      }
      const model = await ctx.services.extrapolators.model(row);
      await ctx.budget.turn(CostUnits.FORECAST + curve.length * CostUnits.CURVE_POINT);
      const { usedTrainCurve, ...forecast } = model.forecast(curve, targetEpoch, {
        arch,
        scale,
        trainCurve: context.trainCurve ?? undefined,
      });
      return { forecast, predictor: row, usedTrainCurve };
    }
  }
  // A forecast is milliseconds of CPU after an await: many in one request take turns with the event loop.
  await ctx.budget.turn(CostUnits.FORECAST + curve.length * CostUnits.CURVE_POINT);
  return { forecast: parametric.forecast(curve, { targetEpoch, scale }), predictor: null, usedTrainCurve: false };
}
