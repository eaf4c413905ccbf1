import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, NashubError, nb101NetworkSize, nb101Space } from '../../core';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint/checkpoint-format';
import { selectTrainingBackend } from '../backend/select-training-backend';
import { DEFAULT_DATASETS_DIR } from '../data/find-dataset-file';
import { parseTrainingProtocol } from '../protocol/parse-training-protocol';
import { FMNIST_C8N1_E12 } from '../protocol/shipped-protocols';
import { writeTinyCifar } from '../../../test/support/tiny-cifar';
import type { EpochMetrics } from './epoch-metrics';
import { openTrainingSession, type TrainingSession } from './training-session';

const ARCH = '|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|';
/** An NB101 cell whose output has two inputs, so the tiny protocol's C=2 splits among them. */
const NB101_ARCH = JSON.stringify({
  matrix: [
    [0, 1, 0, 1, 1],
    [0, 0, 1, 0, 1],
    [0, 0, 0, 1, 0],
    [0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0],
  ],
  ops: ['input', 'conv3x3-bn-relu', 'maxpool3x3', 'conv1x1-bn-relu', 'output'],
});
/** NB101_ARCH with a sixth vertex that reaches no output: the same cell once pruned. */
const NB101_UNPRUNED = JSON.stringify({
  matrix: [
    [0, 1, 0, 1, 1, 1],
    [0, 0, 1, 0, 0, 1],
    [0, 0, 0, 1, 0, 0],
    [0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
  ],
  ops: ['input', 'conv3x3-bn-relu', 'maxpool3x3', 'conv1x1-bn-relu', 'conv3x3-bn-relu', 'output'],
});
/** Four vertices feed the output: more than the tiny protocol's C=2 channels can be split among. */
const NB101_WIDE = JSON.stringify({
  matrix: [
    [0, 1, 1, 1, 1, 0],
    [0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0],
  ],
  ops: ['input', 'conv3x3-bn-relu', 'conv3x3-bn-relu', 'conv1x1-bn-relu', 'maxpool3x3', 'output'],
});

const TINY = parseTrainingProtocol({
  name: 'tiny-test',
  epochs: 3,
  hyperparameters: {
    dataset: 'cifar10',
    C: 2,
    N: 1,
    trainSubset: 48,
    validSize: 20,
    testSubset: 20,
    splitSeed: 0,
    batchSize: 16,
    learningRate: 0.1,
    lrSchedule: 'cosine',
    momentum: 0.9,
    nesterov: true,
    weightDecay: 0.0005,
    augmentation: { cropPadding: 4, horizontalFlip: true },
  },
});

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NashubError);
  return (error as NashubError).code;
}

describe('openTrainingSession', () => {
  const datasetsDir = mkdtempSync(join(tmpdir(), 'nashub-session-'));
  beforeAll(async () => {
    writeTinyCifar(datasetsDir, 20);
    await selectTrainingBackend('wasm');
  });
  afterAll(() => rmSync(datasetsDir, { recursive: true, force: true }));

  it('resumes from a checkpoint exactly: 2 epochs straight = 1 epoch, checkpoint, new session, 1 epoch', async () => {
    const options = { space: 'nb201', arch: ARCH, protocol: TINY, seed: 3, datasetsDir };
    const straight = await openTrainingSession(options);
    expect([straight.backend, straight.epochsDone, straight.totalEpochs]).toEqual(['wasm', 0, 3]);
    const straightMetrics = [await straight.runEpoch(), await straight.runEpoch()];
    const straightState = await straight.checkpoint();
    straight.dispose();

    const first = await openTrainingSession(options);
    const firstMetrics = await first.runEpoch();
    const blob = await first.checkpoint();
    first.dispose();
    const tensorsBefore = tf.memory().numTensors;
    const resumed = await openTrainingSession({ ...options, resumeFrom: blob });
    expect(resumed.epochsDone).toBe(1);
    const resumedMetrics = await resumed.runEpoch();
    expect(resumed.epochsDone).toBe(2);
    const resumedState = await resumed.checkpoint();
    resumed.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    const strip = (m: EpochMetrics): Omit<EpochMetrics, 'seconds'> => {
      const { seconds, ...rest } = m;
      expect(seconds).toBeGreaterThan(0);
      return rest;
    };
    expect(strip(firstMetrics)).toEqual(strip(straightMetrics[0]));
    const [a, b] = [strip(resumedMetrics), strip(straightMetrics[1])];
    for (const key of Object.keys(a) as (keyof typeof a)[]) expect(a[key]).toBeCloseTo(b[key], 6);
    expect(a.epoch).toBe(2);
    expect(a.learningRate).toBeCloseTo((0.1 * (1 + Math.cos(Math.PI / 3))) / 2, 12);
    // Everything that gets saved (weights, BN statistics, momentum) is identical.
    expect(Buffer.from(resumedState).equals(Buffer.from(straightState))).toBe(true);
    for (const m of straightMetrics) {
      for (const acc of [m.trainAcc, m.validAcc, m.testAcc]) {
        expect(acc).toBeGreaterThanOrEqual(0);
        expect(acc).toBeLessThanOrEqual(100);
      }
    }
  });

  it('refuses truncated, corrupt and foreign checkpoints with CHECKPOINT_INVALID', async () => {
    const session = await openTrainingSession({ space: 'nb201', arch: ARCH, protocol: TINY, seed: 3, datasetsDir });
    const blob = await session.checkpoint();
    session.dispose();
    const corrupt = Uint8Array.from(blob);
    corrupt[corrupt.length >> 1] ^= 0xff;
    const open = (resumeFrom: Uint8Array, seed = 3, arch = ARCH): Promise<TrainingSession> =>
      openTrainingSession({ space: 'nb201', arch, protocol: TINY, seed, datasetsDir, resumeFrom });
    const tensors = tf.memory().numTensors;
    expect(await errorCode(open(blob.subarray(0, blob.length - 10)))).toBe(ErrorCode.CHECKPOINT_INVALID);
    expect(await errorCode(open(corrupt))).toBe(ErrorCode.CHECKPOINT_INVALID);
    expect(await errorCode(open(new Uint8Array(5)))).toBe(ErrorCode.CHECKPOINT_INVALID);
    expect(await errorCode(open(blob, 4))).toBe(ErrorCode.CHECKPOINT_INVALID);
    expect(await errorCode(open(blob, 3, '|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|'))).toBe(
      ErrorCode.CHECKPOINT_INVALID,
    );
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('fails with typed errors for a missing dataset, a bad architecture and too large subsets', async () => {
    expect(
      await errorCode(
        openTrainingSession({
          space: 'nb201',
          arch: ARCH,
          protocol: TINY,
          seed: 1,
          datasetsDir: join(datasetsDir, 'nowhere'),
        }),
      ),
    ).toBe(ErrorCode.DATASET_MISSING);
    expect(
      await errorCode(openTrainingSession({ space: 'nb201', arch: '|bogus~0|', protocol: TINY, seed: 1, datasetsDir })),
    ).toBe(ErrorCode.INVALID_ARCHITECTURE);
    expect(
      await errorCode(
        openTrainingSession({
          space: 'nb201',
          arch: ARCH,
          protocol: { ...TINY, trainSubset: 1000 },
          seed: 1,
          datasetsDir,
        }),
      ),
    ).toBe(ErrorCode.INVALID_ARGUMENT);
  });

  it('trains an nb101 cell (C = stem channels, N = cells per stack, 3 stacks) and resumes it from its checkpoint', async () => {
    const options = { space: 'nb101', arch: NB101_ARCH, protocol: TINY, seed: 3, datasetsDir };
    const session = await openTrainingSession(options);
    const macro = {
      stemChannels: TINY.C,
      stacks: 3,
      cellsPerStack: TINY.N,
      numClasses: 10,
      inputChannels: 3,
      inputSize: 32,
    };
    expect(session.parameterCount).toBe(nb101NetworkSize(nb101Space.parse(NB101_ARCH), macro).params);
    const metrics = await session.runEpoch();
    for (const value of [metrics.trainLoss, metrics.validLoss, metrics.testLoss])
      expect(Number.isFinite(value)).toBe(true);
    const blob = await session.checkpoint();
    session.dispose();
    // The text is canonicalised (pruned) as the store does, so an unpruned spelling of the cell resumes it too.
    const resumed = await openTrainingSession({ ...options, arch: NB101_UNPRUNED, resumeFrom: blob });
    expect(resumed.epochsDone).toBe(1);
    expect((await resumed.runEpoch()).epoch).toBe(2);
    resumed.dispose();
  });

  it('refuses a checkpoint of another space, and resumes an nb201 checkpoint written before checkpoints named their space', async () => {
    const nb201 = await openTrainingSession({ space: 'nb201', arch: ARCH, protocol: TINY, seed: 3, datasetsDir });
    const blob = await nb201.checkpoint();
    nb201.dispose();
    expect(
      await errorCode(
        openTrainingSession({
          space: 'nb101',
          arch: NB101_ARCH,
          protocol: TINY,
          seed: 3,
          datasetsDir,
          resumeFrom: blob,
        }),
      ),
    ).toBe(ErrorCode.CHECKPOINT_INVALID);
    const { meta, tensors } = decodeCheckpoint<Record<string, unknown>>(blob);
    expect(meta.space).toBe('nb201');
    const { space: _space, ...legacyMeta } = meta;
    const legacy = await openTrainingSession({
      space: 'nb201',
      arch: ARCH,
      protocol: TINY,
      seed: 3,
      datasetsDir,
      resumeFrom: encodeCheckpoint({ meta: legacyMeta, tensors }),
    });
    expect(legacy.epochsDone).toBe(0);
    legacy.dispose();
  });

  it('refuses spaces it does not build and nb101 cells its C cannot split with INVALID_ARGUMENT, bad nb101 text with INVALID_ARCHITECTURE', async () => {
    const open = (space: string, arch: string) =>
      openTrainingSession({ space, arch, protocol: TINY, seed: 1, datasetsDir });
    expect(await errorCode(open('darts', ARCH))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(await errorCode(open('toString', ARCH))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(await errorCode(open('nb101', NB101_WIDE))).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(await errorCode(open('nb101', ARCH))).toBe(ErrorCode.INVALID_ARCHITECTURE);
    expect(await errorCode(open('nb201', NB101_ARCH))).toBe(ErrorCode.INVALID_ARCHITECTURE);
  });

  it.skipIf(!fashionMnistPresent())(
    'learns Fashion-MNIST: the fmnist-c8n1 network, 1 epoch on 2,000 real images, beats chance clearly',
    async () => {
      const protocol = parseTrainingProtocol({
        ...FMNIST_C8N1_E12,
        name: 'fmnist-c8n1-test',
        epochs: 1,
        hyperparameters: {
          ...FMNIST_C8N1_E12.hyperparameters,
          trainSubset: 2000,
          validSize: 500,
          testSubset: 500,
          batchSize: 32,
          learningRate: 0.05,
          lrSchedule: 'constant',
        },
      });
      const session = await openTrainingSession({
        space: 'nb201',
        arch: ARCH,
        protocol,
        seed: 0,
        datasetsDir: DEFAULT_DATASETS_DIR,
      });
      expect(session.parameterCount).toBeGreaterThan(0);
      const metrics = await session.runEpoch();
      session.dispose();
      // Chance is 10% and ln 10 ≈ 2.30 nats; measured here: train 42%, valid and test 35% (eval right after the
      // first epoch, with batch-norm running statistics still settling).
      expect(metrics.trainLoss).toBeLessThan(2.0);
      expect(metrics.validLoss).toBeLessThan(2.2);
      expect(metrics.trainAcc).toBeGreaterThan(30);
      expect(metrics.validAcc).toBeGreaterThan(25);
      expect(metrics.testAcc).toBeGreaterThan(25);
    },
  );
});

/** Skips where Debian's dataset-fashion-mnist is missing, except under NASHUB_REQUIRE_DATASETS=1 (CI), where it fails. */
function fashionMnistPresent(): boolean {
  if (existsSync(join(DEFAULT_DATASETS_DIR, 'fashion-mnist'))) return true;
  if (process.env.NASHUB_REQUIRE_DATASETS === '1')
    throw new Error('NASHUB_REQUIRE_DATASETS=1 but dataset-fashion-mnist is not installed');
  return false;
}
