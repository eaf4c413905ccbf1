import { ErrorCode, NashubError } from '../../core';
import { DatasetName, type DatasetNameValue } from '../data/image-dataset';
import { LearningRateSchedule, type LearningRateScheduleValue, type TrainingProtocol } from './training-protocol';

/** The fields of a protocol row that training reads. */
export interface ProtocolRow {
  name: string;
  epochs: number;
  hyperparameters: Record<string, unknown>;
}

const KNOWN = new Set([
  'dataset', 'C', 'N', 'trainSubset', 'validSize', 'testSubset', 'splitSeed', 'batchSize', 'learningRate', 'minLearningRate',
  'lrSchedule', 'momentum', 'nesterov', 'weightDecay', 'augmentation', 'earlyStopping',
]);

/**
 * Validates a protocol row into a {@link TrainingProtocol}. Missing, mistyped, out-of-range and unknown fields are
 * INVALID_ARGUMENT with the field in `details`, so a typo in a migration cannot silently change how runs train.
 */
export function parseTrainingProtocol(row: ProtocolRow): TrainingProtocol {
  const hp = row.hyperparameters;
  const fail = (field: string, reason: string, value: unknown): never => {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `protocol ${row.name}: ${field} ${reason}`, { details: { protocol: row.name, field, value } });
  };
  if (hp === null || typeof hp !== 'object' || Array.isArray(hp)) fail('hyperparameters', 'must be an object', hp);
  for (const key of Object.keys(hp)) if (!KNOWN.has(key)) fail(key, 'is not a training hyper-parameter', hp[key]);

  const integer = (field: string, value: unknown, min: number): number => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) fail(field, `must be an integer ≥ ${min}`, value);
    return value as number;
  };
  const number = (field: string, value: unknown, min: number, max: number, openMin = false): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value > max || (openMin ? value <= min : value < min)) {
      fail(field, `must be a number in ${openMin ? '(' : '['}${min}, ${max}]`, value);
    }
    return value as number;
  };
  const boolean = (field: string, value: unknown): boolean => {
    if (typeof value !== 'boolean') fail(field, 'must be true or false', value);
    return value as boolean;
  };
  const oneOf = <T extends string>(field: string, value: unknown, values: readonly T[]): T => {
    if (!values.includes(value as T)) fail(field, `must be one of ${values.join(', ')}`, value);
    return value as T;
  };
  const object = (field: string, value: unknown): Record<string, unknown> => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(field, 'must be an object', value);
    return value as Record<string, unknown>;
  };

  const augmentation = object('augmentation', hp.augmentation);
  for (const key of Object.keys(augmentation)) if (key !== 'cropPadding' && key !== 'horizontalFlip') fail(`augmentation.${key}`, 'is not an augmentation setting', augmentation[key]);
  const protocol: TrainingProtocol = {
    name: typeof row.name === 'string' && row.name.length > 0 ? row.name : fail('name', 'must be a non-empty string', row.name),
    epochs: integer('epochs', row.epochs, 1),
    dataset: oneOf<DatasetNameValue>('dataset', hp.dataset, Object.values(DatasetName)),
    C: integer('C', hp.C, 1),
    N: integer('N', hp.N, 1),
    validSize: integer('validSize', hp.validSize, 1),
    splitSeed: integer('splitSeed', hp.splitSeed, 0),
    batchSize: integer('batchSize', hp.batchSize, 2),
    learningRate: number('learningRate', hp.learningRate, 0, 10, true),
    minLearningRate: hp.minLearningRate === undefined ? 0 : number('minLearningRate', hp.minLearningRate, 0, 10),
    lrSchedule: oneOf<LearningRateScheduleValue>('lrSchedule', hp.lrSchedule, Object.values(LearningRateSchedule)),
    momentum: number('momentum', hp.momentum, 0, 0.999),
    nesterov: boolean('nesterov', hp.nesterov),
    weightDecay: number('weightDecay', hp.weightDecay, 0, 1),
    augmentation: {
      cropPadding: integer('augmentation.cropPadding', augmentation.cropPadding, 0),
      horizontalFlip: boolean('augmentation.horizontalFlip', augmentation.horizontalFlip),
    },
  };
  if (hp.trainSubset !== undefined) protocol.trainSubset = integer('trainSubset', hp.trainSubset, 1);
  if (hp.testSubset !== undefined) protocol.testSubset = integer('testSubset', hp.testSubset, 1);
  if (protocol.nesterov && protocol.momentum === 0) fail('nesterov', 'needs momentum > 0', hp.nesterov);
  if (protocol.minLearningRate > protocol.learningRate) fail('minLearningRate', 'must not exceed learningRate', hp.minLearningRate);
  if (hp.earlyStopping !== undefined) {
    const early = object('earlyStopping', hp.earlyStopping);
    for (const key of Object.keys(early)) if (key !== 'threshold' && key !== 'minEpochFraction') fail(`earlyStopping.${key}`, 'is not an early-stopping setting', early[key]);
    protocol.earlyStopping = {
      threshold: number('earlyStopping.threshold', early.threshold, 0, 1, true),
      minEpochFraction: number('earlyStopping.minEpochFraction', early.minEpochFraction, 0, 1),
    };
  }
  return protocol;
}
