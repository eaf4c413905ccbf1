import * as tf from '@tensorflow/tfjs';
import { ErrorCode, NashubError, type EncodingKindValue, type SearchSpace } from '../../core';
import { checkBatchSpace } from './check-batch';
import { encodeInputs } from './encode-inputs';
import { labelledRecords } from './labelled-records';
import type { Network, NetworkParams } from './network';
import type { ArchitectureBatch, Prediction, Predictor, PredictorDataNeeds, PredictorFitOptions, PredictorFitSummary, PredictorKindValue } from './predictor';
import { trainNetwork } from './train-network';

/** Options of {@link NetworkPredictor}. */
export interface NetworkPredictorOptions {
  /** Kind reported (MLP or GNN). */
  kind: PredictorKindValue;
  /** Search space of the architectures. */
  space: SearchSpace;
  /** Encoding the network reads. */
  encoding: EncodingKindValue;
  /** The network. */
  network: Network;
  /** Adam steps. */
  steps: number;
  /** Records per step. */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Weight of the pairwise ranking loss (0: plain MSE). */
  rankingWeight: number;
  /** Fewest labelled records `fit` accepts (default 10; ensembles lower it for members that see a fold or resample). */
  minRecords?: number;
}

/** One tfjs network trained on standardised targets, its output calibrated linearly (std 0 in its predictions). */
export class NetworkPredictor implements Predictor {
  readonly kind: PredictorKindValue;
  readonly space: string;
  readonly dataNeeds: PredictorDataNeeds;
  private params: NetworkParams | undefined;
  private mean = 0;
  private scale = 1;

  constructor(private readonly options: NetworkPredictorOptions) {
    this.kind = options.kind;
    this.space = options.space.name;
    this.dataNeeds = { encoding: options.encoding, minRecords: options.minRecords ?? 10, unlabelled: 0 };
  }

  async fit(batch: ArchitectureBatch, targets: readonly number[], fitOptions: PredictorFitOptions): Promise<PredictorFitSummary> {
    checkBatchSpace(batch, this.space);
    const records = labelledRecords(batch, targets, this.dataNeeds.minRecords);
    this.mean = records.targets.reduce((s, y) => s + y, 0) / records.targets.length;
    const variance = records.targets.reduce((s, y) => s + (y - this.mean) ** 2, 0) / records.targets.length;
    this.scale = Math.sqrt(variance) || 1;
    const inputs = encodeInputs(this.options.space, records.archs, this.options.encoding);
    const ys = tf.tensor1d(records.targets.map((y) => (y - this.mean) / this.scale));
    this.disposeParams();
    const initial = this.options.network.init(inputs, fitOptions.seed);
    const variables = Object.fromEntries(Object.entries(initial).map(([name, t]) => [name, tf.variable(t, true, undefined)]));
    tf.dispose(Object.values(initial));
    this.params = variables;
    try {
      trainNetwork({ ...this.options, params: variables, inputs, targets: ys, seed: fitOptions.seed });
      this.calibrate(inputs, records.targets);
    } finally {
      tf.dispose([...inputs, ys]);
    }
    return { used: records.targets.length, skipped: records.skipped };
  }

  predict(batch: ArchitectureBatch): Prediction {
    checkBatchSpace(batch, this.space);
    const params = this.fitted();
    if (batch.archs.length === 0) return { mean: new Float64Array(0), std: new Float64Array(0) };
    const out = tf.tidy(() => this.options.network.forward(params, encodeInputs(this.options.space, batch.archs, this.options.encoding)));
    const raw = out.dataSync();
    out.dispose();
    const mean = Float64Array.from(raw, (v) => v * this.scale + this.mean);
    return { mean, std: new Float64Array(mean.length) };
  }

  async save(handler: tf.io.IOHandler): Promise<void> {
    const params = this.fitted();
    const { data, specs } = await tf.io.encodeWeights(params);
    // The calibration stays in the JSON topology: tfjs weights are float32, and the round trip must be exact.
    const modelTopology = { kind: this.kind, space: this.space, encoding: this.options.encoding, calibration: [this.mean, this.scale] };
    await handler.save!({ modelTopology, weightSpecs: specs, weightData: data });
  }

  async load(handler: tf.io.IOHandler): Promise<void> {
    const artifacts = await handler.load!();
    const topology = artifacts.modelTopology as { kind?: string; space?: string; calibration?: number[] } | undefined;
    if (!artifacts.weightSpecs || !artifacts.weightData || topology?.kind !== this.kind || topology.space !== this.space || topology.calibration?.length !== 2) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `weights are not those of a ${this.kind} predictor on ${this.space}`, {
        details: { kind: topology?.kind, space: topology?.space },
      });
    }
    const named = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
    [this.mean, this.scale] = [topology.calibration[0]!, topology.calibration[1]!];
    this.disposeParams();
    this.params = named;
  }

  dispose(): void {
    this.disposeParams();
  }

  /**
   * A mostly-ranking loss leaves the output's scale free, so map raw outputs to targets by least squares on the
   * training records; this fixes MAE and leaves the order (and τ) as trained.
   */
  private calibrate(inputs: readonly tf.Tensor[], targets: readonly number[]): void {
    const out = tf.tidy(() => this.options.network.forward(this.fitted(), inputs));
    const raw = Array.from(out.dataSync());
    out.dispose();
    const n = targets.length;
    const mx = raw.reduce((s, v) => s + v, 0) / n;
    const my = targets.reduce((s, v) => s + v, 0) / n;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += (raw[i]! - mx) * (targets[i]! - my);
      sxx += (raw[i]! - mx) ** 2;
    }
    this.scale = sxx > 0 ? sxy / sxx : 0;
    this.mean = my - this.scale * mx;
  }

  private fitted(): NetworkParams {
    if (!this.params) throw new NashubError(ErrorCode.INVALID_ARGUMENT, `the ${this.kind} predictor has not been fitted or loaded`);
    return this.params;
  }

  private disposeParams(): void {
    if (this.params) tf.dispose(Object.values(this.params));
    this.params = undefined;
  }
}
