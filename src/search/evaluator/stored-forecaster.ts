import type { EntityManager } from 'typeorm';
import type { Extrapolator } from '../../predictor/lce';
import { StoredCurveModels } from '../../predictors/stored-curve-models';
import { choosePredictor, loadPredictorWeights } from '../../store/predictor';

/** Where a forecast for early stopping comes from. */
export interface StoredForecaster {
  /** The stored LCE predictor's id, or null when none is fitted (the parametric ensemble forecasts). */
  predictorId: number | null;
  /** The forecaster for one run's curve (its architecture and training-accuracy curve feed the stored model). */
  forArch(arch: string, trainCurve: readonly number[]): Extrapolator | undefined;
}

/**
 * The early-stopping forecaster the trainer uses (`training-job-handler`'s `storedExtrapolator`): the target's stored
 * LCE predictor (`nashub fit --kind LCE`) when one is fitted and loads, else undefined, which `shouldStop` reads as its
 * default parametric ensemble. Loaded once per search, not per epoch.
 */
export async function loadStoredForecaster(
  manager: EntityManager,
  target: { space: string; datasetId: number; protocolId: number },
): Promise<StoredForecaster> {
  const row = await choosePredictor(manager, { ...target, metric: 'validAcc', epoch: null, kind: 'LCE' });
  const weights = row ? await loadPredictorWeights(manager, row.id) : null;
  if (!row || !weights) return { predictorId: null, forArch: () => undefined };
  const models = StoredCurveModels.load(weights);
  return {
    predictorId: row.id,
    forArch: (arch, trainCurve) => ({
      method: models.curveOnly.method,
      forecast: (curve, options) => {
        const train = trainCurve.length >= curve.length ? trainCurve.slice(0, curve.length) : undefined;
        const { usedTrainCurve: _used, ...forecast } = models.forecast(curve, options.targetEpoch, {
          arch,
          scale: options.scale,
          trainCurve: train,
        });
        return forecast;
      },
    }),
  };
}
