import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ErrorCode, NashubError, createRng, getSpace, isMetricName, type SearchSpace } from '../../core';
import {
  failPredictor,
  finishPredictor,
  findPredictor,
  loadTrainingTargets,
  setPredictorProgress,
  writePredictions,
  type PredictorMetrics,
  type PredictorRow,
} from '../../store/predictor';
import { selectBackend } from '../backend/select-backend';
import { kendallTau } from '../metric/kendall-tau';
import { spearmanRho } from '../metric/spearman-rho';
import { createPredictor, type CreatePredictorOptions } from '../surrogate/create-predictor';
import type { Predictor } from '../surrogate/predictor';
import { unlabelledArchitectures } from '../surrogate/unlabelled-architectures';
import { predictorToBytes } from './predictor-bytes';

/** Fewest records with a finite target a stored predictor is fitted on (issue 6: "fewer than 10: a clear error"). */
export const MIN_FIT_RECORDS = 10;
/** Share of the records held out to measure the stored version (at least 2 records). */
export const HELD_OUT_FRACTION = 0.2;

/** Options of {@link fitStoredPredictor}. */
export interface FitStoredPredictorOptions {
  dataSource: DataSource;
  /** The TRAINING predictor row to fit. */
  predictorId: number;
  /** Phase and fraction done, for logs and progress bars; also written to the row. */
  onProgress?: (phase: string, fraction: number) => void;
}

/** What a fit did. */
export interface FitStoredPredictorResult {
  predictor: PredictorRow;
  /** Predictions cached for the whole space (enumerable spaces), else 0. */
  cachedPredictions: number;
}

/** The predictor options a row's `hyperparameters` describe (kind from the row). */
export function predictorOptionsOf(row: Pick<PredictorRow, 'kind' | 'space' | 'hyperparameters'>): CreatePredictorOptions {
  const h = row.hyperparameters as Partial<CreatePredictorOptions>;
  return { ...h, kind: row.kind, space: getSpace(row.space) } as CreatePredictorOptions;
}

/**
 * Fits a stored predictor from the records of its (space, dataset, protocol, metric, epoch): seeded hold-out of 20%,
 * fit on the rest, held-out Kendall tau / Spearman / MAE / std-vs-error / 90% coverage, weights into the row (READY),
 * and, for enumerable spaces, predictions of every architecture into the `prediction` cache, all in one transaction.
 * A fit that cannot succeed (too few records, unknown metric) marks the row FAILED and throws the typed error.
 */
export async function fitStoredPredictor(options: FitStoredPredictorOptions): Promise<FitStoredPredictorResult> {
  const { dataSource, predictorId } = options;
  const manager = dataSource.manager;
  const row = await findPredictor(manager, predictorId);
  if (!row) throw new NashubError(ErrorCode.NOT_FOUND, `no predictor ${predictorId}`, { details: { predictor: predictorId } });
  if (row.status !== 'TRAINING') throw new NashubError(ErrorCode.CONFLICT, `predictor ${predictorId} is ${row.status}, not TRAINING`, { details: { predictor: predictorId, status: row.status } });
  const progress = async (phase: string, fraction: number): Promise<void> => {
    options.onProgress?.(phase, fraction);
    await setPredictorProgress(manager, predictorId, fraction);
  };
  let predictor: Predictor | null = null;
  try {
    await selectBackend();
    if (!isMetricName(row.metric)) throw new NashubError(ErrorCode.INVALID_ARGUMENT, `unknown metric "${row.metric}"`, { details: { metric: row.metric } });
    const space = getSpace(row.space);
    await progress('load', 0.05);
    const data = await loadTrainingTargets(manager, { space: row.space, datasetId: row.datasetId, protocolId: row.protocolId, metric: row.metric, epoch: row.epoch });
    const usable = data.targets.flatMap((y, i) => (Number.isFinite(y) ? [i] : []));
    const skipped = data.targets.length - usable.length;
    const trainSize = typeof row.hyperparameters.trainSize === 'number' ? row.hyperparameters.trainSize : null;
    const rng = createRng(row.seed);
    shuffle(usable, rng);
    const pool = trainSize !== null ? usable.slice(0, Math.min(usable.length, Math.ceil(trainSize / (1 - HELD_OUT_FRACTION)))) : usable;
    if (pool.length < MIN_FIT_RECORDS) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `fitting needs at least ${MIN_FIT_RECORDS} records with a finite ${row.metric}, found ${usable.length} (${skipped} skipped for a missing or NaN value)`, {
        details: { minRecords: MIN_FIT_RECORDS, records: usable.length, skipped },
      });
    }
    const heldCount = Math.max(2, Math.round(pool.length * HELD_OUT_FRACTION));
    const held = pool.slice(0, heldCount);
    const train = pool.slice(heldCount).sort((a, b) => a - b);
    const batch = (idx: number[]) => ({ space: row.space, archs: idx.map((i) => space.parse(data.archs[i])) });

    predictor = createPredictor(predictorOptionsOf(row));
    const unlabelled = predictor.dataNeeds.unlabelled > 0 ? unlabelledArchitectures({ space, count: predictor.dataNeeds.unlabelled, seed: row.seed }) : undefined;
    await progress('fit', 0.1);
    await predictor.fit(batch(train), train.map((i) => data.targets[i]), { seed: row.seed, unlabelled });
    await progress('evaluate', 0.8);
    const heldPrediction = predictor.predict(batch(held));
    const metrics = heldOutMetrics(Array.from(heldPrediction.mean), Array.from(heldPrediction.std), held.map((i) => data.targets[i]));
    const weights = await predictorToBytes(predictor);
    const trainSetSha256 = createHash('sha256').update(train.map((i) => data.hashes[i]).join('\n')).digest('hex');
    const cache = space.size !== null ? predictWholeSpace(space, predictor) : [];
    await progress('store', 0.9);
    await dataSource.transaction(async (tx) => {
      await finishPredictor(tx, predictorId, { weights, metrics, trainSize: train.length, trainSetSha256, skippedTargets: skipped });
      if (cache.length > 0) await writePredictions(tx, predictorId, cache);
    });
    options.onProgress?.('done', 1);
    return { predictor: (await findPredictor(manager, predictorId))!, cachedPredictions: cache.length };
  } catch (error) {
    if (isPermanent(error)) await failPredictor(manager, predictorId, (error as Error).message);
    throw error;
  } finally {
    predictor?.dispose();
  }
}

/** Errors a retry cannot fix: typed input errors. Others (a lost connection) leave the row TRAINING for the retry. */
export function isPermanent(error: unknown): boolean {
  return error instanceof NashubError;
}

/** Predictions of every architecture of an enumerable space, in chunks. */
function predictWholeSpace(space: SearchSpace, predictor: Predictor): Array<{ hash: string; arch: string; mean: number; std: number }> {
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

/** Held-out quality of predictions. */
export function heldOutMetrics(mean: number[], std: number[], truth: number[]): PredictorMetrics {
  const errors = mean.map((m, i) => Math.abs(m - truth[i]));
  const informative = std.some((s) => s > 0);
  return {
    kendallTau: finiteOr(kendallTau(mean, truth), 0),
    spearman: finiteOr(spearmanRho(mean, truth), 0),
    mae: errors.reduce((a, b) => a + b, 0) / errors.length,
    stdErrorSpearman: informative ? finiteOr(spearmanRho(errors, std), 0) : null,
    coverage90: informative ? errors.filter((e, i) => e <= 1.645 * std[i]).length / errors.length : null,
    heldOut: truth.length,
  };
}

function finiteOr(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}

function shuffle(values: number[], rng: ReturnType<typeof createRng>): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
}
