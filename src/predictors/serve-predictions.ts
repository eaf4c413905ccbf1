import type { DataSource } from 'typeorm';
import { ErrorCode, NashubError, getSpace } from '../core';
import { markPredictorUnloadable, loadPredictions, loadPredictorWeights, type PredictorRow } from '../store/predictor';
import { selectBackend } from '../predictor/backend/select-backend';
import { createPredictor } from '../predictor/surrogate/create-predictor';
import type { Predictor } from '../predictor/surrogate/predictor';
import { predictorFromBytes } from './predictor-bytes';
import { predictorOptionsOf } from './fit-stored-predictor';

/** One architecture to predict: its id (hash) and the parsed architecture. */
export interface PredictionRequest {
  hash: string;
  arch: unknown;
}

/** Mean and std of one architecture. */
export interface PredictedValue {
  mean: number;
  std: number;
}

/**
 * Serves predictions of stored predictors: from the `prediction` cache where it has them (enumerable spaces), else
 * with one forward pass over all the missing architectures. Loaded models stay in memory (a few versions, newest
 * used first); weights that fail to load mark the predictor FAILED and throw FILE_INVALID.
 */
export class PredictionService {
  private readonly models = new Map<number, Promise<Predictor>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly maxModels = 4,
  ) {}

  async predict(row: PredictorRow, requests: readonly PredictionRequest[]): Promise<Map<string, PredictedValue>> {
    const out = new Map<string, PredictedValue>();
    const cached = await loadPredictions(
      this.dataSource.manager,
      row.id,
      requests.map((r) => r.hash),
    );
    for (const [hash, c] of cached) out.set(hash, { mean: c.mean, std: c.std });
    const missing = requests.filter((r) => !out.has(r.hash));
    if (missing.length === 0) return out;
    const model = await this.model(row);
    const predicted = model.predict({ space: row.space, archs: missing.map((m) => m.arch) });
    missing.forEach((m, i) => out.set(m.hash, { mean: predicted.mean[i], std: predicted.std[i] }));
    return out;
  }

  private model(row: PredictorRow): Promise<Predictor> {
    let model = this.models.get(row.id);
    if (model) {
      this.models.delete(row.id);
      this.models.set(row.id, model);
      return model;
    }
    model = this.loadModel(row);
    model.catch(() => this.models.delete(row.id));
    this.models.set(row.id, model);
    while (this.models.size > this.maxModels) {
      const [oldest, evicted] = this.models.entries().next().value as [number, Promise<Predictor>];
      this.models.delete(oldest);
      // A request that already holds the evicted model may still be about to predict with it: free it a minute later.
      setTimeout(
        () =>
          void evicted.then(
            (p) => p.dispose(),
            () => undefined,
          ),
        60_000,
      ).unref();
    }
    return model;
  }

  private async loadModel(row: PredictorRow): Promise<Predictor> {
    const weights = await loadPredictorWeights(this.dataSource.manager, row.id);
    if (!weights)
      throw new NashubError(ErrorCode.NOT_FOUND, `predictor ${row.id} has no weights`, {
        details: { predictor: row.id },
      });
    getSpace(row.space);
    await selectBackend();
    const predictor = createPredictor(predictorOptionsOf(row));
    try {
      await predictorFromBytes(predictor, weights, `predictor ${row.id}`);
    } catch (error) {
      predictor.dispose();
      if (error instanceof NashubError && error.code === ErrorCode.FILE_INVALID)
        await markPredictorUnloadable(this.dataSource.manager, row.id, error.message);
      throw error;
    }
    return predictor;
  }

  /** Frees every loaded model. */
  async close(): Promise<void> {
    const models = [...this.models.values()];
    this.models.clear();
    for (const m of models) (await m.catch(() => null))?.dispose();
  }
}
