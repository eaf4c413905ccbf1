import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, parseNb201, type Nb201Macro } from '../src/core';
import { selectTrainingBackend, type TrainingBackendChoice } from '../src/trainer/backend/select-training-backend';
import { Nb201Network } from '../src/trainer/network/nb201-network';
import { SgdOptimizer } from '../src/trainer/optimizer/sgd-optimizer';
import { trainStep } from '../src/trainer/session/train-step';
import { CONV_GRADIENT_CASES, convGradients } from './support/conv-gradient-cases';

// The webgpu backend, run through Dawn's OpenGL backend on Mesa's software rasteriser (llvmpipe): the same tfjs webgpu
// kernels, WGSL shaders and our registered gradients as on a GPU, on a machine without one. It checks correctness
// only; speed needs a real GPU (`nashub bench trainer`). NASHUB_DAWN_FLAGS, when set, picks another adapter.
// Without Mesa's EGL (Debian libegl-mesa0) Dawn finds no adapter and these tests skip, unless
// NASHUB_REQUIRE_WEBGPU=1 (as .ci/run sets it), where they fail instead.
process.env.NASHUB_DAWN_FLAGS ??= 'backend=opengl';

const MACRO: Nb201Macro = { C: 4, N: 1, numClasses: 10, inputChannels: 1, inputSize: 12 };
/** Every NB201 op: 3×3 and 1×1 ReLU-Conv-BN, average pooling, skip, none. */
const ARCH = '|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|';
const BATCH = 6;
const STEPS = 2;

interface Trained {
  losses: number[];
  correct: number[];
  parameters: Map<string, Float32Array>;
}

/** STEPS SGD steps (Nesterov, weight decay, BN in training mode) of a seeded NB201 network on the active backend. */
async function trainTwoSteps(): Promise<Trained> {
  const network = new Nb201Network({ arch: parseNb201(ARCH), macro: MACRO, seed: 7 });
  const optimizer = new SgdOptimizer({ parameters: network.parameters, momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
  const rng = createRng(11);
  const size = MACRO.inputSize;
  const x = tf.tensor4d(Float32Array.from({ length: BATCH * size * size }, () => rng.next() * 2 - 1), [BATCH, size, size, 1]);
  const labels = tf.tensor1d(Int32Array.from({ length: BATCH }, () => rng.int(10)), 'int32');
  const losses: number[] = [];
  const correct: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const totals = trainStep({ network, optimizer, x, labels, classes: MACRO.numClasses, learningRate: 0.1 });
    const [loss, right] = await totals.data();
    totals.dispose();
    losses.push(loss);
    correct.push(right);
  }
  const parameters = new Map<string, Float32Array>();
  for (const [name, variable] of network.parameters) parameters.set(name, (await variable.data()) as Float32Array);
  tf.dispose([x, labels]);
  optimizer.dispose();
  network.dispose();
  return { losses, correct, parameters };
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('the webgpu backend on a software adapter (Dawn → OpenGL → Mesa llvmpipe)', () => {
  const convReference: { dw: Float32Array; dx: Float32Array }[] = [];
  let trainReference: Trained;
  let webgpu: TrainingBackendChoice | undefined;
  let unavailable = '';

  beforeAll(async () => {
    // The cpu backend's stock kernels first (tf.setBackend: selectTrainingBackend would register ours for cpu too).
    await tf.setBackend('cpu');
    for (const c of CONV_GRADIENT_CASES) convReference.push(await convGradients(c));
    await selectTrainingBackend('cpu');
    trainReference = await trainTwoSteps();
    try {
      webgpu = await selectTrainingBackend('webgpu');
    } catch (error) {
      unavailable = error instanceof Error ? error.message : String(error);
      if (process.env.NASHUB_REQUIRE_WEBGPU === '1') throw error;
    }
  }, 180_000);

  it('activates, and names the adapter as the run rows will', (context) => {
    if (webgpu === undefined) return context.skip(`webgpu unavailable: ${unavailable}`);
    expect(tf.getBackend()).toBe('webgpu');
    expect(webgpu.backend).toBe('webgpu');
    expect(webgpu.device).toMatch(/^gpu \(.+\)$/);
    expect(webgpu.device).not.toBe('gpu (webgpu adapter)');
  });

  it("computes conv2d's filter and input gradients as the cpu backend's stock kernels do, to 1e-4", async (context) => {
    if (webgpu === undefined) return context.skip(`webgpu unavailable: ${unavailable}`);
    for (const [index, c] of CONV_GRADIENT_CASES.entries()) {
      const { dw, dx } = await convGradients(c);
      expect(maxAbsDifference(dw, convReference[index].dw), JSON.stringify(c)).toBeLessThan(1e-4);
      expect(maxAbsDifference(dx, convReference[index].dx), JSON.stringify(c)).toBeLessThan(1e-4);
    }
  }, 120_000);

  it('trains an NB201 network with every op exactly as the cpu backend does', async (context) => {
    if (webgpu === undefined) return context.skip(`webgpu unavailable: ${unavailable}`);
    const trained = await trainTwoSteps();
    for (let step = 0; step < STEPS; step++) {
      expect(Math.abs(trained.losses[step] - trainReference.losses[step])).toBeLessThan(1e-3 * Math.max(1, trainReference.losses[step]));
      expect(trained.correct[step]).toBe(trainReference.correct[step]);
    }
    // The second loss shows the first update was applied; the parameters show both were, for every tensor.
    expect(trained.losses[1]).not.toBe(trained.losses[0]);
    expect([...trained.parameters.keys()]).toEqual([...trainReference.parameters.keys()]);
    for (const [name, values] of trained.parameters) {
      expect(maxAbsDifference(values, trainReference.parameters.get(name)!), name).toBeLessThan(1e-4);
    }
  }, 120_000);

  it('leaves no tensors or backend buffers behind after a training step', async (context) => {
    if (webgpu === undefined) return context.skip(`webgpu unavailable: ${unavailable}`);
    await trainTwoSteps();
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    await trainTwoSteps();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  }, 120_000);
});
