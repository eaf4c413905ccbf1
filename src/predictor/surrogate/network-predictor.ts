import * as tf from '@tensorflow/tfjs';
import { ErrorCode, invariant, NashubError, type EncodingKindValue, type SearchSpace } from '../../core';
import { checkBatchSpace } from './check-batch';
import { encodeInputs } from './encode-inputs';
import { labelledRecords } from './labelled-records';
import type { Network, NetworkParams } from './network';
import type {
  ArchitectureBatch,
  Prediction,
  Predictor,
  PredictorDataNeeds,
  PredictorFitOptions,
  PredictorFitSummary,
  PredictorKindValue,
} from './predictor';
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
}

/** One phase of {@link NetworkPredictor.fitStages}. */
export interface TrainingStage {
  /** Architectures. */
  archs: readonly unknown[];
  /** Their finite targets (labels, pseudo-labels or a proxy). */
  targets: readonly number[];
  /** Adam steps of this stage. */
  steps: number;
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
    this.dataNeeds = { encoding: options.encoding, minRecords: 10, unlabelled: 0 };
  }

  /** Adam steps of a plain `fit` (the last stage of {@link NetworkPredictor.fitStages} when an ensemble drives it). */
  get steps(): number {
    return this.options.steps;
  }

  async fit(
    batch: ArchitectureBatch,
    targets: readonly number[],
    fitOptions: PredictorFitOptions,
  ): Promise<PredictorFitSummary> {
    checkBatchSpace(batch, this.space);
    const records = labelledRecords(batch, targets, this.dataNeeds.minRecords);
    this.fitStages([{ archs: records.archs, targets: records.targets, steps: this.options.steps }], fitOptions.seed);
    return { used: records.targets.length, skipped: records.skipped };
  }

  /**
   * Trains through `stages` in order from one seeded initialisation, each stage on its own standardised targets with
   * a fresh Adam (pre-training on a free proxy, then the labelled records); the output map comes from the last stage.
   * Records must have finite targets. Weights named in `start` (e.g. a pre-trained first layer) replace the seeded ones.
   */
  fitStages(stages: readonly TrainingStage[], seed: number, start: NetworkParams = {}): void {
    invariant(
      stages.length > 0 && stages.every((s) => s.targets.length === s.archs.length && s.archs.length > 0),
      'stages have records',
    );
    this.disposeParams();
    stages.forEach((stage, index) => {
      const mean = stage.targets.reduce((s, y) => s + y, 0) / stage.targets.length;
      const scale = Math.sqrt(stage.targets.reduce((s, y) => s + (y - mean) ** 2, 0) / stage.targets.length) || 1;
      const inputs = encodeInputs(this.options.space, stage.archs, this.options.encoding);
      const ys = tf.tensor1d(stage.targets.map((y) => (y - mean) / scale));
      try {
        if (index === 0) {
          const initial = this.options.network.init(inputs, seed);
          this.params = Object.fromEntries(
            Object.entries(initial).map(([name, t]) => [name, tf.variable(start[name] ?? t, true, undefined)]),
          );
          tf.dispose(Object.values(initial));
        }
        const params = this.params as Record<string, tf.Variable>;
        trainNetwork({ ...this.options, steps: stage.steps, params, inputs, targets: ys, seed: seed + index * 7907 });
        if (index === stages.length - 1) this.calibrate(inputs, stage.targets);
      } finally {
        tf.dispose([...inputs, ys]);
      }
    });
  }

  predict(batch: ArchitectureBatch): Prediction {
    checkBatchSpace(batch, this.space);
    const params = this.fitted();
    if (batch.archs.length === 0) return { mean: new Float64Array(0), std: new Float64Array(0) };
    const out = tf.tidy(() =>
      this.options.network.forward(params, encodeInputs(this.options.space, batch.archs, this.options.encoding)),
    );
    const raw = out.dataSync();
    out.dispose();
    const mean = Float64Array.from(raw, (v) => v * this.scale + this.mean);
    return { mean, std: new Float64Array(mean.length) };
  }

  async save(handler: tf.io.IOHandler): Promise<void> {
    const params = this.fitted();
    const { data, specs } = await tf.io.encodeWeights(params);
    // The calibration stays in the JSON topology: tfjs weights are float32, and the round trip must be exact.
    const modelTopology = {
      kind: this.kind,
      space: this.space,
      encoding: this.options.encoding,
      calibration: [this.mean, this.scale],
    };
    await handler.save!({ modelTopology, weightSpecs: specs, weightData: data });
  }

  async load(handler: tf.io.IOHandler): Promise<void> {
    const artifacts = await handler.load!();
    const topology = artifacts.modelTopology as { kind?: string; space?: string; calibration?: number[] } | undefined;
    if (
      !artifacts.weightSpecs ||
      !artifacts.weightData ||
      topology?.kind !== this.kind ||
      topology.space !== this.space ||
      topology.calibration?.length !== 2
    ) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `weights are not those of a ${this.kind} predictor on ${this.space}`,
        {
          details: { kind: topology?.kind, space: topology?.space },
        },
      );
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
    if (!this.params)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `the ${this.kind} predictor has not been fitted or loaded`);
    return this.params;
  }

  private disposeParams(): void {
    if (this.params) tf.dispose(Object.values(this.params));
    this.params = undefined;
  }
}
