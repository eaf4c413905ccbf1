import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../core';
import { parsePredictorTuning } from './parse-predictor-tuning';

function refusal(text: string): unknown {
  try {
    parsePredictorTuning(text);
  } catch (error) {
    return error;
  }
  return 'ok';
}

describe('--predictor-options schema', () => {
  it('reads every tunable option', () => {
    const all = {
      members: 3,
      steps: 0,
      resample: 'folds',
      isotonic: false,
      uncertainty: 'scaled',
      unlabelled: 100,
      pseudoPerLabelled: 0.5,
      pretrainSteps: 10,
      autoencoderSteps: 0,
    };
    expect(parsePredictorTuning(JSON.stringify(all))).toEqual(all);
    expect(parsePredictorTuning('{}')).toEqual({});
  });

  it.each([
    ['not JSON', '{members:', undefined],
    ['a list', '[1]', ''],
    ['an unknown key', '{"layers": 3}', 'layers'],
    ['fractional members', '{"members": 2.5}', 'members'],
    ['negative steps', '{"steps": -1}', 'steps'],
    ['an unknown resampling', '{"resample": "bootstrap"}', 'resample'],
    ['isotonic as text', '{"isotonic": "yes"}', 'isotonic'],
    ['a negative pseudo-label ratio', '{"pseudoPerLabelled": -0.5}', 'pseudoPerLabelled'],
  ])('refuses %s with INVALID_ARGUMENT naming the option and key', (_, text, field) => {
    expect(refusal(text)).toMatchObject({
      code: ErrorCode.INVALID_ARGUMENT,
      details: field === undefined ? { option: '--predictor-options' } : { option: '--predictor-options', field },
    });
  });
});
