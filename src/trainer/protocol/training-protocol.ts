import type { Augmentation } from '../data/assemble-batch';
import type { DatasetNameValue } from '../data/image-dataset';

/** The learning-rate schedules a protocol can name. */
export const LearningRateSchedule = { COSINE: 'cosine', CONSTANT: 'constant' } as const;

/** One of {@link LearningRateSchedule}'s values. */
export type LearningRateScheduleValue = (typeof LearningRateSchedule)[keyof typeof LearningRateSchedule];

/** When the trainer may stop a run early (through the LCE predictor's `shouldStop`). */
export interface EarlyStopping {
  /** Stop when P(final validation accuracy beats the best so far) falls below this, in (0, 1). */
  threshold: number;
  /** Never stop before this fraction of the epochs, in [0, 1]. */
  minEpochFraction: number;
}

/** A protocol row's `hyperparameters`, validated: everything that fixes how a run trains. */
export interface TrainingHyperparameters {
  /** The dataset trained on. */
  dataset: DatasetNameValue;
  /** Channels of the first stage (NB201 macro C); for nb101, the stem's channels (`stemChannels`). */
  C: number;
  /** Cells per stage (NB201 macro N); for nb101, cells per stack (`cellsPerStack`, with NAS-Bench-101's 3 stacks). */
  N: number;
  /** Training images drawn (stratified) from the official training set after the validation part; absent: all the rest. */
  trainSubset?: number;
  /** Validation images held out (stratified) from the official training set. */
  validSize: number;
  /** Test images drawn (stratified) from the official test set; absent: all of it. */
  testSubset?: number;
  /** Seed of the train/valid/test draws, the same for every run of the protocol. */
  splitSeed: number;
  /** Images per SGD step; the last, smaller batch of an epoch is dropped. */
  batchSize: number;
  /** Peak learning rate. */
  learningRate: number;
  /** Learning rate the cosine schedule reaches after the last epoch (PyTorch `eta_min`). */
  minLearningRate: number;
  /** Per-epoch schedule: cosine from `learningRate` down to `minLearningRate`, or constant. */
  lrSchedule: LearningRateScheduleValue;
  /** SGD momentum. */
  momentum: number;
  /** Nesterov momentum (PyTorch `nesterov=True`). */
  nesterov: boolean;
  /** L2 weight decay added to every parameter's gradient (PyTorch SGD `weight_decay`), batch norms included. */
  weightDecay: number;
  /** Random augmentation of training batches. */
  augmentation: Augmentation;
  /** Early stopping, when the protocol allows it. */
  earlyStopping?: EarlyStopping;
}

/** A protocol parsed from its row: its name, its epochs, and validated hyper-parameters. */
export interface TrainingProtocol extends TrainingHyperparameters {
  /** The protocol row's unique name. */
  name: string;
  /** Epochs of the full schedule. */
  epochs: number;
}
