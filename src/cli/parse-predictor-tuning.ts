import { z } from 'zod';
import type { PredictorTuning } from '../bench/predictor.bench';
import { ErrorCode, NashubError, parseWithSchema } from '../core';
import { EnsembleResample, EnsembleUncertainty } from '../predictor/surrogate/ensemble-predictor';

const count = z
  .number({ error: 'must be a non-negative integer' })
  .int({ error: 'must be a non-negative integer' })
  .min(0, { error: 'must be a non-negative integer' });

/** `--predictor-options`: the predictor settings `bench predictor` lets a user tune, and nothing else. */
const predictorTuningSchema: z.ZodType<PredictorTuning> = z.strictObject(
  {
    members: count.optional(),
    steps: count.optional(),
    resample: z.enum(EnsembleResample).optional(),
    isotonic: z.boolean().optional(),
    uncertainty: z.enum(EnsembleUncertainty).optional(),
    unlabelled: count.optional(),
    pseudoPerLabelled: z.number().min(0, { error: 'must be a non-negative number' }).optional(),
    pretrainSteps: count.optional(),
    autoencoderSteps: count.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? 'is not a predictor option (known: members, steps, resample, isotonic, uncertainty, unlabelled, pseudoPerLabelled, pretrainSteps, autoencoderSteps)'
        : 'must be a JSON object',
  },
);

/** Parses `--predictor-options` JSON; INVALID_ARGUMENT with `details.option` and the bad key in `details.field`. */
export function parsePredictorTuning(text: string): PredictorTuning {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, '--predictor-options is not valid JSON', {
      details: { option: '--predictor-options', value: text },
      cause: error,
    });
  }
  return parseWithSchema(predictorTuningSchema, value, {
    code: ErrorCode.INVALID_ARGUMENT,
    what: '--predictor-options',
    details: { option: '--predictor-options' },
  });
}
