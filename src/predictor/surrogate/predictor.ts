import type * as tf from '@tensorflow/tfjs';
import type { EncodingKindValue } from '../../core';

/** Surrogate predictor kinds; the one vocabulary for CLI flags, bench lines and saved weights. */
export const PredictorKind = {
  MLP: 'MLP',
  GNN: 'GNN',
  ENSEMBLE: 'ENSEMBLE',
  SEMI: 'SEMI',
  LINEAR: 'LINEAR',
} as const;

/** One of {@link PredictorKind}'s values. */
export type PredictorKindValue = (typeof PredictorKind)[keyof typeof PredictorKind];

/** Architectures of one search space, in the space's in-memory form (`space.parse` / `space.validate`). */
export interface ArchitectureBatch {
  /** Name of the space the architectures belong to (`nb201`). */
  space: string;
  /** The architectures. */
  archs: readonly unknown[];
}

/** What a predictor needs to be fitted, declared up front (no hooks probed at run time). */
export interface PredictorDataNeeds {
  /** Encoding the predictor asks the space for. */
  encoding: EncodingKindValue;
  /** Fewest labelled records `fit` accepts. */
  minRecords: number;
  /**
   * Unlabelled architectures of the space `fit` wants in {@link PredictorFitOptions.unlabelled} (0: none). Callers
   * supply them with `unlabelledArchitectures({ space, count, seed })`: the whole space when it is enumerable and no
   * larger, else `count` uniform samples.
   */
  unlabelled: number;
}

/** Options of {@link Predictor.fit}. */
export interface PredictorFitOptions {
  /** Seed of initial weights and batch order; the same seed and data give the same predictions. */
  seed: number;
  /** Unlabelled architectures of the fitted space; required when `dataNeeds.unlabelled` > 0, ignored otherwise. */
  unlabelled?: ArchitectureBatch;
}

/** Predicted value per architecture, in the target's units. */
export interface Prediction {
  /** Predicted mean per architecture. */
  mean: Float64Array;
  /** Spread per architecture, in the target's units: the members' spread for ENSEMBLE and SEMI (by default it ranks errors but is narrower than σ), 0 for single models. */
  std: Float64Array;
}

/** A surrogate model of one metric over one search space (NASLib's predictor contract, plus save/load). */
export interface Predictor {
  /** Kind, as in {@link PredictorKind}. */
  readonly kind: PredictorKindValue;
  /** Name of the space it is fitted on; `predict` on another space throws INVALID_ARGUMENT. */
  readonly space: string;
  /** Data the predictor needs. */
  readonly dataNeeds: PredictorDataNeeds;
  /** Fits on labelled architectures; non-finite targets are skipped, fewer than `minRecords` left throws. */
  fit(batch: ArchitectureBatch, targets: readonly number[], options: PredictorFitOptions): Promise<PredictorFitSummary>;
  /** Predicts the target of each architecture. */
  predict(batch: ArchitectureBatch): Prediction;
  /** Writes the fitted weights through a tfjs IOHandler (e.g. `tf.io.withSaveHandler`). */
  save(handler: tf.io.IOHandler): Promise<void>;
  /** Reads weights written by `save` of a predictor of the same kind and options (e.g. `tf.io.fromMemory`). */
  load(handler: tf.io.IOHandler): Promise<void>;
  /** Frees tensors; the predictor is unusable afterwards. */
  dispose(): void;
}

/** What {@link Predictor.fit} reports. */
export interface PredictorFitSummary {
  /** Records used. */
  used: number;
  /** Records skipped because their target was NaN, infinite or missing. */
  skipped: number;
}
