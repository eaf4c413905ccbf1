import * as tf from '@tensorflow/tfjs';
import { createRng, ErrorCode, NashubError, type SearchSpace } from '../../core';
import { checkBatchSpace } from './check-batch';
import type { EnsemblePredictor, TargetRecords } from './ensemble-predictor';
import { encodeInputs } from './encode-inputs';
import { labelledRecords } from './labelled-records';
import type { NetworkParams } from './network';
import { pretrainAutoencoder } from './pretrain-autoencoder';
import {
  PredictorKind,
  type ArchitectureBatch,
  type Prediction,
  type Predictor,
  type PredictorDataNeeds,
  type PredictorFitOptions,
  type PredictorFitSummary,
} from './predictor';

/** Options of {@link SemiPredictor}. */
export interface SemiPredictorOptions {
  /** Search space of the architectures. */
  space: SearchSpace;
  /** Makes the teacher, a fresh ensemble per fit, fitted on the labelled records only and then dropped. */
  createTeacher: () => EnsemblePredictor;
  /** The student, fitted on labelled plus pseudo-labelled records; it makes the predictions and is what `save` writes. */
  student: EnsemblePredictor;
  /** Unlabelled architectures asked for (`dataNeeds.unlabelled`). */
  unlabelled: number;
  /** Pseudo-labelled records per labelled record in the student's training set, drawn from the unlabelled ones (0: no teacher). */
  pseudoPerLabelled: number;
  /**
   * Adam steps of pre-training every student member on the unlabelled architectures with their parameter count as
   * the target (free from `space.cost`, τ ≈ 0.53 against NB201 accuracy), before the labelled records (0: none).
   */
  pretrainSteps: number;
  /** Adam steps of an auto-encoder on the unlabelled architectures whose encoder starts every member's first layer (0: none). */
  autoencoderSteps: number;
  /** Width of the members' first hidden layer (the auto-encoder's code). */
  hidden: number;
}

/**
 * Semi-supervised ensemble. Self-training as in SemiNAS (Luo et al., 2020): an ensemble teacher fitted on the labelled
 * records labels unlabelled architectures of the space, and a student ensemble of the same shape is fitted on both.
 * Optionally, each student member first pre-trains on the unlabelled architectures with a free proxy target (the
 * parameter count). The student's output map and residual curve come from labelled records only.
 */
export class SemiPredictor implements Predictor {
  readonly kind = PredictorKind.SEMI;
  readonly space: string;
  readonly dataNeeds: PredictorDataNeeds;

  constructor(private readonly options: SemiPredictorOptions) {
    this.space = options.space.name;
    this.dataNeeds = { ...options.student.dataNeeds, unlabelled: options.unlabelled };
  }

  async fit(
    batch: ArchitectureBatch,
    targets: readonly number[],
    fitOptions: PredictorFitOptions,
  ): Promise<PredictorFitSummary> {
    checkBatchSpace(batch, this.space);
    const unlabelled = fitOptions.unlabelled;
    if (!unlabelled || unlabelled.archs.length === 0) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `a SEMI predictor needs unlabelled architectures of ${this.space} in the fit options (dataNeeds.unlabelled)`,
        {
          details: { unlabelled: this.dataNeeds.unlabelled },
        },
      );
    }
    checkBatchSpace(unlabelled, this.space);
    const records = labelledRecords(batch, targets, this.dataNeeds.minRecords);
    const labelled = { archs: records.archs, targets: records.targets };
    const pseudo =
      this.options.pseudoPerLabelled > 0
        ? await this.pseudoLabels(labelled, unlabelled.archs, fitOptions.seed)
        : undefined;
    const pretrain =
      this.options.pretrainSteps > 0
        ? {
            archs: unlabelled.archs,
            targets: unlabelled.archs.map((a) => this.options.space.cost(a).paramsM),
            steps: this.options.pretrainSteps,
          }
        : undefined;
    const start = this.options.autoencoderSteps > 0 ? this.autoencoder(unlabelled.archs, fitOptions.seed) : undefined;
    try {
      await this.options.student.fitRecords({ labelled, extra: pseudo, pretrain, start, seed: fitOptions.seed + 1 });
    } finally {
      if (start) tf.dispose(Object.values(start));
    }
    return { used: records.targets.length, skipped: records.skipped };
  }

  predict(batch: ArchitectureBatch): Prediction {
    checkBatchSpace(batch, this.space);
    return this.options.student.predict(batch);
  }

  /** Writes the student ensemble's artifact inside a SEMI envelope. */
  async save(handler: tf.io.IOHandler): Promise<void> {
    let inner: tf.io.ModelArtifacts | undefined;
    await this.options.student.save(
      tf.io.withSaveHandler(async (artifacts) => {
        inner = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    await handler.save!({
      ...inner!,
      modelTopology: { kind: this.kind, space: this.space, student: inner!.modelTopology },
    });
  }

  /** Reads an artifact written by {@link SemiPredictor.save} with the same student shape. */
  async load(handler: tf.io.IOHandler): Promise<void> {
    const artifacts = await handler.load!();
    const topology = artifacts.modelTopology as { kind?: string; space?: string; student?: object } | undefined;
    if (topology?.kind !== this.kind || topology.space !== this.space || !topology.student) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `weights are not those of a SEMI predictor on ${this.space}`, {
        details: { kind: topology?.kind, space: topology?.space },
      });
    }
    await this.options.student.load(tf.io.fromMemory({ ...artifacts, modelTopology: topology.student }));
  }

  dispose(): void {
    this.options.student.dispose();
  }

  private autoencoder(archs: readonly unknown[], seed: number): NetworkParams {
    const [inputs] = encodeInputs(this.options.space, archs, this.dataNeeds.encoding);
    try {
      return pretrainAutoencoder({
        inputs: inputs as tf.Tensor2D,
        hidden: this.options.hidden,
        steps: this.options.autoencoderSteps,
        batchSize: 256,
        seed,
      });
    } finally {
      inputs!.dispose();
    }
  }

  /** The teacher's predictions for a seeded subset of the unlabelled architectures. */
  private async pseudoLabels(
    labelled: TargetRecords,
    unlabelled: readonly unknown[],
    seed: number,
  ): Promise<TargetRecords> {
    const teacher = this.options.createTeacher();
    try {
      await teacher.fit({ space: this.space, archs: labelled.archs }, labelled.targets, { seed });
      const archs = this.pseudoCandidates(labelled.archs, unlabelled, seed);
      return { archs, targets: Array.from(teacher.predict({ space: this.space, archs }).mean) };
    } finally {
      teacher.dispose();
    }
  }

  /** Unlabelled architectures not among the labelled ones (by the space's id), a seeded subset of the asked size. */
  private pseudoCandidates(labelled: readonly unknown[], unlabelled: readonly unknown[], seed: number): unknown[] {
    const space = this.options.space;
    const known = new Set(labelled.map((a) => space.id(a)));
    const pool = unlabelled.filter((a) => !known.has(space.id(a)));
    const count = Math.min(pool.length, Math.round(this.options.pseudoPerLabelled * labelled.length));
    const rng = createRng(seed + 104729);
    for (let i = 0; i < count; i++) {
      const j = i + rng.int(pool.length - i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, count);
  }
}
