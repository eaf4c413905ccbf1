import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../core';
import { learningRateAt } from './learning-rate';
import { parseTrainingProtocol } from './parse-training-protocol';
import { FMNIST_C16N5_E50, FMNIST_C8N1_E12, SHIPPED_PROTOCOLS } from './shipped-protocols';

function codeOf(run: () => unknown): { code?: string; field?: unknown } {
  try {
    run();
    return {};
  } catch (error) {
    expect(error).toBeInstanceOf(NashubError);
    return { code: (error as NashubError).code, field: (error as NashubError).details.field };
  }
}

describe('parseTrainingProtocol', () => {
  it('parses the shipped protocols, which are plain JSON', () => {
    for (const shipped of SHIPPED_PROTOCOLS) expect(JSON.parse(JSON.stringify(shipped))).toEqual(shipped);
    const c8 = parseTrainingProtocol(FMNIST_C8N1_E12);
    expect(c8).toMatchObject({
      name: 'fmnist-c8n1-e12',
      epochs: 12,
      C: 8,
      N: 1,
      trainSubset: 10000,
      dataset: 'fashion-mnist',
      nesterov: true,
    });
    const c16 = parseTrainingProtocol(FMNIST_C16N5_E50);
    expect(c16).toMatchObject({ epochs: 50, C: 16, N: 5, batchSize: 128 });
    expect(c16.trainSubset).toBeUndefined();
    expect(c8.earlyStopping).toBeUndefined();
  });

  it('keeps the key order checkpoints compare (JSON of the parsed protocol)', () => {
    const hyperparameters = {
      ...FMNIST_C8N1_E12.hyperparameters,
      earlyStopping: { minEpochFraction: 0.25, threshold: 0.05 },
      testSubset: 100,
    };
    const parsed = parseTrainingProtocol({ ...FMNIST_C8N1_E12, hyperparameters });
    expect(Object.keys(parsed)).toEqual([
      'name',
      'epochs',
      'dataset',
      'C',
      'N',
      'validSize',
      'splitSeed',
      'batchSize',
      'learningRate',
      'minLearningRate',
      'lrSchedule',
      'momentum',
      'nesterov',
      'weightDecay',
      'augmentation',
      'trainSubset',
      'testSubset',
      'earlyStopping',
    ]);
    expect(Object.keys(parsed.augmentation)).toEqual(['cropPadding', 'horizontalFlip']);
    expect(Object.keys(parsed.earlyStopping!)).toEqual(['threshold', 'minEpochFraction']);
  });

  it('reads early stopping', () => {
    const hyperparameters = {
      ...FMNIST_C8N1_E12.hyperparameters,
      earlyStopping: { threshold: 0.05, minEpochFraction: 0.25 },
    };
    expect(parseTrainingProtocol({ ...FMNIST_C8N1_E12, hyperparameters }).earlyStopping).toEqual({
      threshold: 0.05,
      minEpochFraction: 0.25,
    });
  });

  it('rejects missing, mistyped, out-of-range and unknown fields with INVALID_ARGUMENT naming the field', () => {
    const hp = FMNIST_C8N1_E12.hyperparameters;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...hp, C: undefined }, 'C'],
      [{ ...hp, C: 8.5 }, 'C'],
      [{ ...hp, dataset: 'mnist' }, 'dataset'],
      [{ ...hp, learningRate: 0 }, 'learningRate'],
      [{ ...hp, learningRate: '0.1' }, 'learningRate'],
      [{ ...hp, nesterov: 'yes' }, 'nesterov'],
      [{ ...hp, lrSchedule: 'step' }, 'lrSchedule'],
      [{ ...hp, batchsize: 64 }, 'batchsize'],
      [{ ...hp, augmentation: { cropPadding: 2 } }, 'augmentation.horizontalFlip'],
      [{ ...hp, earlyStopping: { threshold: 2, minEpochFraction: 0.5 } }, 'earlyStopping.threshold'],
      [{ ...hp, momentum: 0 }, 'nesterov'],
      [{ ...hp, augmentation: { cropPadding: 2, horizontalFlip: true, rotate: 1 } }, 'augmentation.rotate'],
      [{ ...hp, augmentation: 'flip' }, 'augmentation'],
      [{ ...hp, earlyStopping: { threshold: 0.1, minEpochFraction: 0.5, patience: 3 } }, 'earlyStopping.patience'],
      [{ ...hp, minLearningRate: 1 }, 'minLearningRate'],
      [{ ...hp, trainSubset: 0 }, 'trainSubset'],
      [{ ...hp, splitSeed: 2 ** 60 }, 'splitSeed'],
      [{ ...hp, weightDecay: Infinity }, 'weightDecay'],
      [{ ...hp, batchSize: 1 }, 'batchSize'],
    ];
    for (const [hyperparameters, field] of cases) {
      expect(codeOf(() => parseTrainingProtocol({ ...FMNIST_C8N1_E12, hyperparameters }))).toEqual({
        code: ErrorCode.INVALID_ARGUMENT,
        field,
      });
    }
    expect(codeOf(() => parseTrainingProtocol({ ...FMNIST_C8N1_E12, epochs: 0 }))).toEqual({
      code: ErrorCode.INVALID_ARGUMENT,
      field: 'epochs',
    });
    expect(codeOf(() => parseTrainingProtocol({ ...FMNIST_C8N1_E12, name: '' }))).toEqual({
      code: ErrorCode.INVALID_ARGUMENT,
      field: 'name',
    });
    expect(
      codeOf(() =>
        parseTrainingProtocol({ ...FMNIST_C8N1_E12, hyperparameters: [] as unknown as Record<string, unknown> }),
      ),
    ).toEqual({
      code: ErrorCode.INVALID_ARGUMENT,
      field: '',
    });
  });

  it('puts the protocol, the bad value and every problem in details', () => {
    const hyperparameters = { ...FMNIST_C8N1_E12.hyperparameters, C: 'eight', N: 0 };
    let caught: NashubError | undefined;
    try {
      parseTrainingProtocol({ ...FMNIST_C8N1_E12, hyperparameters });
    } catch (error) {
      caught = error as NashubError;
    }
    expect(caught?.details).toMatchObject({ protocol: FMNIST_C8N1_E12.name, field: 'C', value: 'eight' });
    expect((caught?.details.issues as Array<{ field: string }>).map((issue) => issue.field)).toEqual(['C', 'N']);
  });
});

describe('learningRateAt', () => {
  it('anneals from the peak at epoch 0 to half-way at the middle epoch, or stays constant', () => {
    const protocol = { learningRate: 0.1, minLearningRate: 0, lrSchedule: 'cosine' as const, epochs: 10 };
    expect(learningRateAt(protocol, 0)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(protocol, 5)).toBeCloseTo(0.05, 12);
    expect(learningRateAt(protocol, 9)).toBeGreaterThan(0);
    expect(learningRateAt({ ...protocol, lrSchedule: 'constant' }, 7)).toBe(0.1);
  });
});
