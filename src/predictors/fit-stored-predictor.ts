import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  ErrorCode,
  NashubError,
  getSpace,
  isMetricName,
  isPermanentError,
  type MetricName,
  type SearchSpace,
} from '../core';
import {
  failPredictor,
  finishPredictor,
  findPredictor,
  loadTrainingTargets,
  setPredictorProgress,
  writePredictions,
  type PredictorRow,
} from '../store/predictor';
import { fitStoredExtrapolator, STORED_EXTRAPOLATOR_KIND } from './fit-stored-extrapolator';
import { heldOutMetrics, requireRecords, splitHeldOut, type FitOutcome, type FitProgress } from './fit-support';
import { selectBackend } from '../predictor/backend/select-backend';
import { createPredictor, type CreatePredictorOptions } from '../predictor/surrogate/create-predictor';
import type { Predictor } from '../predictor/surrogate/predictor';
import { unlabelledArchitectures } from '../predictor/surrogate/unlabelled-architectures';
import { predictorToBytes } from './predictor-bytes';

/** Options of {@link fitStoredPredictor}. */
export interface FitStoredPredictorOptions {
  dataSource: DataSource;
  /** The TRAINING predictor row to fit. */
  predictorId: number;
  /** Phase and fraction done, for logs and progress bars; also written to the row. */
  onProgress?: (phase: string, fraction: number) => void;
  /** Awaited at every phase: a queued fit renews its job's lease here. */
  heartbeat?: () => Promise<void>;
  /** Checked at every phase boundary: when aborted, the fit stops with {@link FitAbortedError}. */
  signal?: AbortSignal;
  /**
   * Set by the queue, which runs this fit again after an abort (the worker stopping) or a transient error while
   * retries are left: then the row stays TRAINING for that attempt. Without it (`nashub fit` in-process) no one
   * retries, and every failure marks the row FAILED.
   */
  retry?: { retriesLeft: number };
}

/** A fit stopped between phases because its worker is stopping; the row stays TRAINING for the next claim. */
export class FitAbortedError extends Error {
  constructor(predictorId: number) {
    super(`the fit of predictor ${predictorId} stopped: its worker is stopping`);
    this.name = 'FitAbortedError';
  }
}

/** What a fit did. */
export interface FitStoredPredictorResult {
  predictor: PredictorRow;
  /** Predictions cached for the whole space (enumerable spaces), else 0. */
  cachedPredictions: number;
}

/** The predictor options a row's `hyperparameters` describe (kind from the row). */
export function predictorOptionsOf(
  row: Pick<PredictorRow, 'kind' | 'space' | 'hyperparameters'>,
): CreatePredictorOptions {
  const h = row.hyperparameters as Partial<CreatePredictorOptions>;
  return { ...h, kind: row.kind, space: getSpace(row.space) } as CreatePredictorOptions;
}

/**
 * Fits a stored predictor from the records of its (space, dataset, protocol, metric, epoch): seeded hold-out of 20%,
 * fit on the rest, held-out Kendall tau / Spearman / MAE / std-vs-error / 90% coverage, weights into the row (READY),
 * and, for enumerable spaces, predictions of every architecture into the `prediction` cache, all in one transaction.
 * Kind `LCE` fits a learning-curve extrapolator from the stored curves instead (see fit-stored-extrapolator.ts).
 * A fit that cannot succeed (too few records, unknown metric) marks the row FAILED and throws the typed error.
 */
export async function fitStoredPredictor(options: FitStoredPredictorOptions): Promise<FitStoredPredictorResult> {
  const { dataSource, predictorId } = options;
  const manager = dataSource.manager;
  const row = await findPredictor(manager, predictorId);
  if (!row)
    throw new NashubError(ErrorCode.NOT_FOUND, `no predictor ${predictorId}`, { details: { predictor: predictorId } });
  if (row.status !== 'TRAINING')
    throw new NashubError(ErrorCode.CONFLICT, `predictor ${predictorId} is ${row.status}, not TRAINING`, {
      details: { predictor: predictorId, status: row.status },
    });
  const progress = async (phase: string, fraction: number): Promise<void> => {
    if (options.signal?.aborted) throw new FitAbortedError(predictorId);
    options.onProgress?.(phase, fraction);
    await options.heartbeat?.();
    await setPredictorProgress(manager, predictorId, fraction);
  };
  try {
    if (!isMetricName(row.metric))
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `unknown metric "${row.metric}"`, {
        details: { metric: row.metric },
      });
    const fitted =
      row.kind === STORED_EXTRAPOLATOR_KIND
        ? await fitStoredExtrapolator(manager, row, progress)
        : await fitSurrogate(manager, row, progress);
    await progress('store', 0.9);
    await dataSource.transaction(async (tx) => {
      await finishPredictor(tx, predictorId, fitted);
      if (fitted.cache.length > 0) await writePredictions(tx, predictorId, fitted.cache);
    });
    options.onProgress?.('done', 1);
    return { predictor: (await findPredictor(manager, predictorId))!, cachedPredictions: fitted.cache.length };
  } catch (error) {
    // The one place a predictor turns FAILED: the CLI's fit and the queued fit fail the same way.
    const retried =
      options.retry !== undefined &&
      (error instanceof FitAbortedError || (!isPermanentError(error) && options.retry.retriesLeft > 0));
    if (!retried) await failPredictor(manager, predictorId, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** Fits a surrogate of the final (or an epoch's) value from architecture to metric. */
async function fitSurrogate(manager: EntityManager, row: PredictorRow, progress: FitProgress): Promise<FitOutcome> {
  await selectBackend();
  const space = getSpace(row.space);
  await progress('load', 0.05);
  const data = await loadTrainingTargets(manager, {
    space: row.space,
    datasetId: row.datasetId,
    protocolId: row.protocolId,
    metric: row.metric as MetricName,
    epoch: row.epoch,
  });
  const usable = data.targets.flatMap((y, i) => (Number.isFinite(y) ? [i] : []));
  const skipped = data.targets.length - usable.length;
  const trainSize = typeof row.hyperparameters.trainSize === 'number' ? row.hyperparameters.trainSize : null;
  const split = splitHeldOut(usable.length, row.seed, trainSize);
  const held = split.held.map((i) => usable[i]);
  const train = split.train.map((i) => usable[i]);
  requireRecords(train.length, held.length, usable.length, skipped, `records with a finite ${row.metric}`);
  const batch = (idx: number[]) => ({ space: row.space, archs: idx.map((i) => space.parse(data.archs[i])) });

  const predictor = createPredictor(predictorOptionsOf(row));
  try {
    const unlabelled =
      predictor.dataNeeds.unlabelled > 0
        ? unlabelledArchitectures({ space, count: predictor.dataNeeds.unlabelled, seed: row.seed })
        : undefined;
    await progress('fit', 0.1);
    await predictor.fit(
      batch(train),
      train.map((i) => data.targets[i]),
      { seed: row.seed, unlabelled },
    );
    await progress('evaluate', 0.8);
    const heldPrediction = predictor.predict(batch(held));
    return {
      metrics: heldOutMetrics(
        Array.from(heldPrediction.mean),
        Array.from(heldPrediction.std),
        held.map((i) => data.targets[i]),
      ),
      weights: await predictorToBytes(predictor),
      trainSize: train.length,
      trainSetSha256: createHash('sha256')
        .update(train.map((i) => data.hashes[i]).join('\n'))
        .digest('hex'),
      skippedTargets: skipped,
      cache: space.size !== null ? predictWholeSpace(space, predictor) : [],
    };
  } finally {
    predictor.dispose();
  }
}

/** Predictions of every architecture of an enumerable space, in chunks. */
function predictWholeSpace(
  space: SearchSpace,
  predictor: Predictor,
): Array<{ hash: string; arch: string; mean: number; std: number }> {
  const all = [...space.enumerate()];
  const out: Array<{ hash: string; arch: string; mean: number; std: number }> = [];
  const CHUNK = 4096;
  for (let i = 0; i < all.length; i += CHUNK) {
    const part = all.slice(i, i + CHUNK);
    const p = predictor.predict({ space: space.name, archs: part });
    part.forEach((a, j) => out.push({ hash: space.id(a), arch: space.format(a), mean: p.mean[j], std: p.std[j] }));
  }
  return out;
}
