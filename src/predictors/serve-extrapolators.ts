import type { DataSource } from 'typeorm';
import { ErrorCode, NashubError } from '../core';
import { markPredictorUnloadable, loadPredictorWeights, type PredictorRow } from '../store/predictor';
import { StoredCurveModels } from './stored-curve-models';

/**
 * Loaded learning-curve extrapolators (predictor rows of kind LCE), a few versions kept in memory. Weights that do
 * not load mark the version FAILED and throw FILE_INVALID.
 */
export class ExtrapolatorService {
  private readonly models = new Map<number, Promise<StoredCurveModels>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly maxModels = 8,
  ) {}

  model(row: PredictorRow): Promise<StoredCurveModels> {
    let model = this.models.get(row.id);
    if (!model) {
      model = this.load(row);
      model.catch(() => this.models.delete(row.id));
      this.models.set(row.id, model);
      while (this.models.size > this.maxModels) this.models.delete(this.models.keys().next().value as number);
    }
    return model;
  }

  private async load(row: PredictorRow): Promise<StoredCurveModels> {
    const weights = await loadPredictorWeights(this.dataSource.manager, row.id);
    if (!weights)
      throw new NashubError(ErrorCode.NOT_FOUND, `predictor ${row.id} has no weights`, {
        details: { predictor: row.id },
      });
    try {
      return StoredCurveModels.load(weights);
    } catch (error) {
      const reason = (error as Error).message;
      await markPredictorUnloadable(this.dataSource.manager, row.id, `weights do not load: ${reason}`);
      throw new NashubError(ErrorCode.FILE_INVALID, `the weights of predictor ${row.id} are corrupt: ${reason}`, {
        details: { predictor: row.id },
        cause: error,
      });
    }
  }
}
