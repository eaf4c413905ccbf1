import { ErrorCode, NashubError, type MetricName } from '../../core';
import type { PredictedValue } from '../../predictors/serve-predictions';
import type { PredictorRow } from '../../store/predictor';
import type { ArchitectureNode } from '../architecture/architecture-node';
import type { RequestContext } from '../context.type';
import type { RecordTarget } from '../record/record-target';

/** Which predictor to ask: a kind (the newest READY of it), or one version by id; neither: the best by held-out tau. */
export interface PredictorChoice {
  kind?: string | null;
  predictorId?: string | null;
}

/** The predicted metric of an architecture at a record target, with the predictor that made it; null when none serves. */
export async function predictArchitecture(
  ctx: RequestContext,
  node: ArchitectureNode,
  target: RecordTarget,
  metric: MetricName,
  choice: PredictorChoice,
): Promise<{ value: PredictedValue; predictor: PredictorRow } | null> {
  const predictor = await servingPredictor(ctx, node.space.name, target, metric, choice);
  if (!predictor) return null;
  const value = await ctx.loaders.prediction.load({ predictor, hash: node.hash, arch: node.parsed });
  return { value, predictor };
}

/** The predictor version that serves (space, target, metric), or null. */
export async function servingPredictor(
  ctx: RequestContext,
  space: string,
  target: RecordTarget,
  metric: MetricName,
  choice: PredictorChoice,
): Promise<PredictorRow | null> {
  const epoch = target.epoch === target.protocol.epochs ? null : target.epoch;
  if (choice.kind === 'LCE') {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      'kind LCE is a learning-curve extrapolator; ask extrapolate or curveForecast',
      { details: { argument: 'kind' } },
    );
  }
  if (choice.predictorId != null) {
    const id = Number(choice.predictorId);
    const row = Number.isInteger(id) && id > 0 && id < 2 ** 31 ? await ctx.loaders.predictorById.load(id) : null;
    if (!row)
      throw new NashubError(ErrorCode.NOT_FOUND, `no predictor ${choice.predictorId}`, {
        details: { predictor: choice.predictorId },
      });
    const fits =
      row.space === space &&
      row.datasetId === target.dataset.id &&
      row.protocolId === target.protocol.id &&
      row.metric === metric &&
      row.epoch === epoch;
    if (!fits) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `predictor ${row.id} predicts ${row.metric} of ${row.space} on another dataset, protocol or epoch`,
        { details: { predictor: row.id } },
      );
    }
    if (row.kind === 'LCE') {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `predictor ${row.id} is a learning-curve extrapolator; ask extrapolate or curveForecast`,
        { details: { predictor: row.id } },
      );
    }
    if (row.status !== 'READY' && row.status !== 'STALE') {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `predictor ${row.id} is ${row.status}${row.error ? `: ${row.error}` : ''}`,
        { details: { predictor: row.id, status: row.status } },
      );
    }
    return row;
  }
  return ctx.loaders.servingPredictor.load({
    space,
    datasetId: target.dataset.id,
    protocolId: target.protocol.id,
    metric,
    epoch,
    kind: choice.kind ?? null,
  });
}
