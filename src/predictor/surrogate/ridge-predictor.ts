import * as tf from '@tensorflow/tfjs';
import { EncodingKind, ErrorCode, NashubError, type SearchSpace, type VectorEncoding } from '../../core';
import { checkBatchSpace } from './check-batch';
import { labelledRecords } from './labelled-records';
import {
  PredictorKind,
  type ArchitectureBatch,
  type Prediction,
  type Predictor,
  type PredictorDataNeeds,
  type PredictorFitSummary,
} from './predictor';
import { solveSymmetric } from './solve-symmetric';

/** Options of {@link RidgePredictor}. */
export interface RidgePredictorOptions {
  /** Search space of the architectures. */
  space: SearchSpace;
  /** L2 penalty on the weights (not on the intercept). */
  lambda: number;
}

/** Ridge regression on the one-hot encoding, solved in closed form: the LINEAR baseline of `bench predictor`. */
export class RidgePredictor implements Predictor {
  readonly kind = PredictorKind.LINEAR;
  readonly space: string;
  readonly dataNeeds: PredictorDataNeeds = { encoding: EncodingKind.ONEHOT, minRecords: 10, unlabelled: 0 };
  private weights: Float64Array | undefined;

  constructor(private readonly options: RidgePredictorOptions) {
    this.space = options.space.name;
  }

  async fit(batch: ArchitectureBatch, targets: readonly number[]): Promise<PredictorFitSummary> {
    checkBatchSpace(batch, this.space);
    const records = labelledRecords(batch, targets, this.dataNeeds.minRecords);
    const rows = this.rows(records.archs);
    const d = rows[0]!.length;
    const gram = Array.from({ length: d }, () => new Float64Array(d));
    const rhs = new Float64Array(d);
    rows.forEach((x, r) => {
      for (let i = 0; i < d; i++) {
        rhs[i] += x[i]! * records.targets[r]!;
        for (let j = 0; j < d; j++) gram[i]![j] += x[i]! * x[j]!;
      }
    });
    for (let i = 1; i < d; i++) gram[i]![i] += this.options.lambda;
    // Rounded to float32 now, as tfjs saves it, so that predictions after save/load are identical.
    this.weights = Float64Array.from(Float32Array.from(solveSymmetric(gram, rhs)));
    return { used: records.targets.length, skipped: records.skipped };
  }

  predict(batch: ArchitectureBatch): Prediction {
    checkBatchSpace(batch, this.space);
    const w = this.fitted();
    const mean = Float64Array.from(this.rows(batch.archs), (x) => x.reduce((s, v, i) => s + v * w[i]!, 0));
    return { mean, std: new Float64Array(mean.length) };
  }

  async save(handler: tf.io.IOHandler): Promise<void> {
    const w = tf.tensor1d(Float32Array.from(this.fitted()), 'float32');
    try {
      const { data, specs } = await tf.io.encodeWeights({ w });
      await handler.save!({
        modelTopology: { kind: this.kind, space: this.space },
        weightSpecs: specs,
        weightData: data,
      });
    } finally {
      w.dispose();
    }
  }

  async load(handler: tf.io.IOHandler): Promise<void> {
    const artifacts = await handler.load!();
    const topology = artifacts.modelTopology as { kind?: string; space?: string } | undefined;
    if (
      !artifacts.weightSpecs ||
      !artifacts.weightData ||
      topology?.kind !== this.kind ||
      topology.space !== this.space
    ) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `weights are not those of a LINEAR predictor on ${this.space}`);
    }
    const w = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs).w!;
    this.weights = Float64Array.from(w.dataSync());
    w.dispose();
  }

  dispose(): void {
    this.weights = undefined;
  }

  /** One-hot rows with a leading 1 for the intercept. */
  private rows(archs: readonly unknown[]): number[][] {
    return archs.map((a) => [1, ...(this.options.space.encode(a, EncodingKind.ONEHOT) as VectorEncoding).vector]);
  }

  private fitted(): Float64Array {
    if (!this.weights)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'the LINEAR predictor has not been fitted or loaded');
    return this.weights;
  }
}
