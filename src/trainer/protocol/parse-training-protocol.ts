import { z } from 'zod';
import { ErrorCode, parseWithSchema, schemaError } from '../../core';
import { DatasetName } from '../data/image-dataset';
import { LearningRateSchedule, type TrainingHyperparameters, type TrainingProtocol } from './training-protocol';

/** The fields of a protocol row that training reads. */
export interface ProtocolRow {
  name: string;
  epochs: number;
  hyperparameters: Record<string, unknown>;
}

const integer = (min: number) => {
  const error = `must be an integer ≥ ${min}`;
  return z.number({ error }).int({ error }).min(min, { error });
};
const number = (min: number, max: number, openMin = false) => {
  const error = `must be a number in ${openMin ? '(' : '['}${min}, ${max}]`;
  const atLeast = openMin ? z.number({ error }).gt(min, { error }) : z.number({ error }).min(min, { error });
  return atLeast.max(max, { error });
};
const boolean = z.boolean({ error: 'must be true or false' });
const oneOf = <T extends Record<string, string>>(values: T) =>
  z.enum(values, { error: `must be one of ${Object.values(values).join(', ')}` });
const strict = <T extends z.core.$ZodLooseShape>(shape: T, setting: string) =>
  z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `is not ${setting}` : 'must be an object'),
  });

const rowSchema = z.object({
  name: z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' }),
  epochs: integer(1),
});

/**
 * A protocol row's `hyperparameters` as training reads them; checked against {@link TrainingHyperparameters}. The key
 * order is the parsed protocol's JSON order, which checkpoints compare (session-checkpoint.ts): keep it.
 */
const hyperparametersSchema: z.ZodType<TrainingHyperparameters> = strict(
  {
    dataset: oneOf(DatasetName),
    C: integer(1),
    N: integer(1),
    validSize: integer(1),
    splitSeed: integer(0),
    batchSize: integer(2),
    learningRate: number(0, 10, true),
    minLearningRate: number(0, 10).default(0),
    lrSchedule: oneOf(LearningRateSchedule),
    momentum: number(0, 0.999),
    nesterov: boolean,
    weightDecay: number(0, 1),
    augmentation: strict({ cropPadding: integer(0), horizontalFlip: boolean }, 'an augmentation setting'),
    trainSubset: integer(1).optional(),
    testSubset: integer(1).optional(),
    earlyStopping: strict(
      { threshold: number(0, 1, true), minEpochFraction: number(0, 1) },
      'an early-stopping setting',
    ).optional(),
  },
  'a training hyper-parameter',
);

/**
 * Validates a protocol row into a {@link TrainingProtocol}. Missing, mistyped, out-of-range and unknown fields are
 * INVALID_ARGUMENT with the field (`C`, `augmentation.horizontalFlip`) and the protocol in `details`, so a typo in a
 * migration cannot silently change how runs train.
 */
export function parseTrainingProtocol(row: ProtocolRow): TrainingProtocol {
  const options = { code: ErrorCode.INVALID_ARGUMENT, what: `protocol ${row.name}`, details: { protocol: row.name } };
  const { name, epochs } = parseWithSchema(rowSchema, row, options);
  const protocol: TrainingProtocol = {
    name,
    epochs,
    ...parseWithSchema(hyperparametersSchema, row.hyperparameters, options),
  };
  if (protocol.nesterov && protocol.momentum === 0)
    throw schemaError(options, { field: 'nesterov', message: 'needs momentum > 0', value: protocol.nesterov });
  if (protocol.minLearningRate > protocol.learningRate) {
    throw schemaError(options, {
      field: 'minLearningRate',
      message: 'must not exceed learningRate',
      value: protocol.minLearningRate,
    });
  }
  return protocol;
}
