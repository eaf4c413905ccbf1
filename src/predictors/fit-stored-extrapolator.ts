import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ErrorCode, NashubError, type MetricName } from '../core';
import { findProtocolEpochs } from '../store/catalog/find-protocol-epochs';
import { loadTrainingCurves, type PredictorRow } from '../store/predictor';
import { CurveScale, fitCurveExtrapolator } from '../predictor/lce';
import { StoredCurveModels } from './stored-curve-models';
import { StoredPredictorKind } from './stored-predictor-kind';
import { heldOutMetrics, requireRecords, splitHeldOut, type FitOutcome, type FitProgress } from './fit-support';

/** The predictor kind of a stored learning-curve extrapolator. */
export const STORED_EXTRAPOLATOR_KIND = StoredPredictorKind.LCE;

/** Observed part of the schedule at which a stored extrapolator's held-out metrics are measured (issue 7's cutoff). */
export const LCE_EVALUATION_FRACTION = 0.2;

/**
 * Fits the learned curve extrapolators of (space, dataset, protocol) from its complete stored curves of the row's
 * metric (one on the curve alone, one with the training-accuracy curve as a second channel when every training run has
 * it): a seeded 20% of the curves is held out and forecast from its first 20% (mean vs true final value: tau, rho,
 * MAE; the 5-95% interval: coverage, width vs error).
 */
export async function fitStoredExtrapolator(
  manager: EntityManager,
  row: PredictorRow,
  progress: FitProgress,
): Promise<FitOutcome> {
  const epochs = await findProtocolEpochs(manager, row.protocolId);
  await progress('load', 0.05);
  const curves = await loadTrainingCurves(manager, {
    space: row.space,
    datasetId: row.datasetId,
    protocolId: row.protocolId,
    metric: row.metric as MetricName,
    epochs,
  });
  const { held, train } = splitHeldOut(curves.length, row.seed, null);
  requireRecords(train.length, held.length, curves.length, 0, `complete ${epochs}-epoch curves of ${row.metric}`);
  const scale = curves.every((c) => c.values.every((v) => v <= 1)) ? CurveScale.FRACTION : CurveScale.PERCENT;
  await progress('fit', 0.1);
  const options = { scale, space: row.space, seed: row.seed };
  const withTrain = train.every((i) => curves[i].trainValues !== null);
  const models = new StoredCurveModels(
    fitCurveExtrapolator(
      train.map((i) => ({ arch: curves[i].arch, values: curves[i].values })),
      options,
    ),
    withTrain
      ? fitCurveExtrapolator(
          train.map((i) => ({ arch: curves[i].arch, values: curves[i].values, trainValues: curves[i].trainValues! })),
          { ...options, useTrainCurve: true },
        )
      : null,
  );
  await progress('evaluate', 0.8);
  const observed = Math.max(1, Math.round(epochs * LCE_EVALUATION_FRACTION));
  if (observed >= epochs)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `protocol of ${epochs} epochs is too short to extrapolate`, {
      details: { epochs },
    });
  // Measured as the best model the stored curves allow (with the training curve where the held-out runs have one).
  const forecasts = held.map((i) =>
    models.forecast(curves[i].values.slice(0, observed), epochs, {
      arch: curves[i].arch,
      trainCurve: curves[i].trainValues?.slice(0, observed),
    }),
  );
  const truth = held.map((i) => curves[i].values[epochs - 1]);
  const metrics = heldOutMetrics(
    forecasts.map((f) => f.mean),
    // The half-width of the 5-95% interval over 1.645 is the std of a normal with the same interval.
    forecasts.map((f) => (f.q95 - f.q05) / (2 * 1.645)),
    truth,
  );
  return {
    metrics,
    weights: models.save(),
    trainSize: train.length,
    trainSetSha256: createHash('sha256')
      .update(train.map((i) => curves[i].hash).join('\n'))
      .digest('hex'),
    skippedTargets: 0,
    cache: [],
  };
}
