import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { torchChildren } from '../../../test/support/torch-children';
import { writeTinyCifar } from '../../../test/support/tiny-cifar';
import { torchRuntimeOrSkip } from '../../../test/support/torch-runtime';
import { ErrorCode, NashubError } from '../../core';
import { selectTrainingBackend } from '../backend/select-training-backend';
import { parseTrainingProtocol } from '../protocol/parse-training-protocol';
import type { EpochMetrics } from '../session/epoch-metrics';
import { openTrainingSession } from '../session/training-session';
import { openPytorchSession, type OpenPytorchSessionOptions } from './pytorch-session';

const runtime = torchRuntimeOrSkip();

const ARCH = '|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|';
const NB101_ARCH = JSON.stringify({
  matrix: [
    [0, 1, 1, 0, 1],
    [0, 0, 0, 1, 0],
    [0, 0, 0, 1, 0],
    [0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0],
  ],
  ops: ['input', 'conv3x3-bn-relu', 'maxpool3x3', 'conv1x1-bn-relu', 'output'],
});

/** Crop (pad 4) and flip: the augmentation draws are part of what both backends must agree on. */
const TINY = parseTrainingProtocol({
  name: 'tiny-torch',
  epochs: 3,
  hyperparameters: {
    dataset: 'cifar10',
    C: 4,
    N: 1,
    trainSubset: 48,
    validSize: 20,
    testSubset: 20,
    splitSeed: 0,
    batchSize: 16,
    learningRate: 0.05,
    lrSchedule: 'cosine',
    momentum: 0.9,
    nesterov: true,
    weightDecay: 0.0005,
    augmentation: { cropPadding: 4, horizontalFlip: true },
  },
});

function strip(m: EpochMetrics): Omit<EpochMetrics, 'seconds'> {
  const { seconds: _seconds, ...rest } = m;
  return rest;
}

async function errorOf(promise: Promise<unknown>): Promise<NashubError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NashubError);
  return error as NashubError;
}

describe.skipIf(runtime === null)('openPytorchSession', () => {
  const datasetsDir = mkdtempSync(join(tmpdir(), 'nashub-torch-session-'));
  const options = (overrides: Partial<OpenPytorchSessionOptions> = {}): OpenPytorchSessionOptions => ({
    space: 'nb201',
    arch: ARCH,
    protocol: TINY,
    seed: 3,
    datasetsDir,
    runtime: runtime!,
    threads: 1,
    device: 'cpu',
    ...overrides,
  });
  beforeAll(() => writeTinyCifar(datasetsDir, 20));
  afterAll(() => rmSync(datasetsDir, { recursive: true, force: true }));

  it('trains the same curve twice, and resumes from its checkpoint exactly', async () => {
    const straight = await openPytorchSession(options());
    expect([straight.backend, straight.epochsDone, straight.totalEpochs]).toEqual(['pytorch', 0, 3]);
    expect(straight.device).toMatch(/^cpu \(1 thread; torch /);
    const straightMetrics = [await straight.runEpoch(), await straight.runEpoch()];
    const straightState = await straight.checkpoint();
    straight.dispose();

    const first = await openPytorchSession(options());
    const firstMetrics = await first.runEpoch();
    const blob = await first.checkpoint();
    first.dispose();
    expect(strip(firstMetrics)).toEqual(strip(straightMetrics[0]));

    const resumed = await openPytorchSession(options({ resumeFrom: blob }));
    expect(resumed.epochsDone).toBe(1);
    const resumedMetrics = await resumed.runEpoch();
    const resumedState = await resumed.checkpoint();
    resumed.dispose();
    expect(strip(resumedMetrics)).toEqual(strip(straightMetrics[1]));
    expect(Buffer.from(resumedState).equals(Buffer.from(straightState))).toBe(true);
    expect(straightMetrics[1].trainLoss).not.toBe(straightMetrics[0].trainLoss);
  });

  it('the epoch trained ahead during an evaluation: a kill then fails the next epoch, and the session stays failed', async () => {
    const session = await openPytorchSession(options());
    const first = await session.runEpoch(); // epoch 2 now trains ahead while the caller writes epoch 1
    const pids = torchChildren();
    expect(pids).toHaveLength(1);
    process.kill(pids[0], 'SIGKILL');
    const error = await errorOf(session.runEpoch());
    expect(error.code).toBe(ErrorCode.BACKEND_UNAVAILABLE);
    expect(error.details).toMatchObject({ exited: true, signal: 'SIGKILL' });
    expect(await errorOf(session.runEpoch())).toBe(error);
    expect(session.epochsDone).toBe(1);
    session.dispose();

    // Disposing while an epoch trains ahead kills the process; the unawaited epoch's failure goes nowhere.
    const again = await openPytorchSession(options());
    expect(strip(await again.runEpoch())).toEqual(strip(first));
    again.dispose();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(torchChildren()).toEqual([]);
  });

  it('starts from the tfjs weights and batches: epoch 1 matches the wasm session of the same seed', async () => {
    for (const [space, arch] of [
      ['nb201', ARCH],
      ['nb101', NB101_ARCH],
    ]) {
      await selectTrainingBackend('wasm');
      const tfjs = await openTrainingSession(options({ space, arch }));
      const expected = await tfjs.runEpoch();
      tfjs.dispose();
      const torch = await openPytorchSession(options({ space, arch }));
      expect(torch.parameterCount).toBe(tfjs.parameterCount);
      const got = await torch.runEpoch();
      torch.dispose();
      // Same initial weights, crops, flips and batch order: only floating-point order differs.
      expect(got.trainLoss, space).toBeCloseTo(expected.trainLoss, 3);
      expect(got.validLoss, space).toBeCloseTo(expected.validLoss, 2);
      expect(got.learningRate).toBe(expected.learningRate);
    }
  });

  it('refuses checkpoints of the other engine with CHECKPOINT_INVALID, and tfjs refuses its checkpoints', async () => {
    await selectTrainingBackend('wasm');
    const tfjs = await openTrainingSession(options());
    await tfjs.runEpoch();
    const tfjsBlob = await tfjs.checkpoint();
    tfjs.dispose();
    const refused = await errorOf(openPytorchSession(options({ resumeFrom: tfjsBlob })));
    expect(refused.code).toBe(ErrorCode.CHECKPOINT_INVALID);
    expect(refused.details).toMatchObject({ checkpoint: 'tfjs', session: 'pytorch' });

    const torch = await openPytorchSession(options());
    await torch.runEpoch();
    const torchBlob = await torch.checkpoint();
    torch.dispose();
    const back = await errorOf(openTrainingSession(options({ resumeFrom: torchBlob })));
    expect(back.code).toBe(ErrorCode.CHECKPOINT_INVALID);
    expect(back.details).toMatchObject({ checkpoint: 'pytorch', backend: 'pytorch', session: 'tfjs' });
  });
});

describe.skipIf(runtime === null)('the PyTorch process protocol', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nashub-torch-noise-'));
  const datasetsDir = join(dir, 'cifar');
  const previous = process.env.PYTHONPATH;
  beforeAll(() => {
    mkdirSync(datasetsDir);
    writeTinyCifar(datasetsDir, 20);
    // Python imports sitecustomize at start-up: it prints to stdout before the module runs, and a thread keeps writing
    // half lines and whole ones to fd 1 and sys.stdout while the session trains.
    writeFileSync(
      join(dir, 'sitecustomize.py'),
      [
        'import os, sys, threading, time',
        'print("noise before the protocol {\\"id\\": 1}")',
        'os.write(1, b"half a line, no newline")',
        'def chatter():',
        '    while True:',
        '        os.write(1, b"@nashub {not json")',
        '        print("more noise", flush=True)',
        '        time.sleep(0.001)',
        'threading.Thread(target=chatter, daemon=True).start()',
      ].join('\n'),
    );
    process.env.PYTHONPATH = dir;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.PYTHONPATH;
    else process.env.PYTHONPATH = previous;
    rmSync(dir, { recursive: true, force: true });
  });

  it('ignores whatever else Python writes to stdout, before and during the session', async () => {
    const base = {
      space: 'nb201',
      arch: ARCH,
      protocol: TINY,
      seed: 3,
      datasetsDir,
      runtime: runtime!,
      threads: 1,
      device: 'cpu' as const,
    };
    const noisy = await openPytorchSession(base);
    const metrics = [await noisy.runEpoch(), await noisy.runEpoch()];
    noisy.dispose();
    delete process.env.PYTHONPATH;
    const quiet = await openPytorchSession(base);
    const expected = [await quiet.runEpoch(), await quiet.runEpoch()];
    quiet.dispose();
    expect(metrics.map(strip)).toEqual(expected.map(strip));
  });

  it('a killed process fails the epoch in hand and every later request with BACKEND_UNAVAILABLE', async () => {
    delete process.env.PYTHONPATH;
    const session = await openPytorchSession({
      space: 'nb201',
      arch: ARCH,
      protocol: TINY,
      seed: 3,
      datasetsDir,
      runtime: runtime!,
      threads: 1,
      device: 'cpu',
    });
    const epoch = session.runEpoch();
    const pids = torchChildren();
    expect(pids).toHaveLength(1);
    process.kill(pids[0], 'SIGKILL');
    const error = await errorOf(epoch);
    expect(error.code).toBe(ErrorCode.BACKEND_UNAVAILABLE);
    expect(error.details).toMatchObject({ exited: true, signal: 'SIGKILL' });
    expect((await errorOf(session.checkpoint())).code).toBe(ErrorCode.BACKEND_UNAVAILABLE);
    session.dispose();
  });
});
