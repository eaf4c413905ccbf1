import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, parseNb201, type Nb201Macro } from '../src/core';
import { selectTrainingBackend, type TrainingBackendChoice } from '../src/trainer/backend/select-training-backend';
import { Nb201Network } from '../src/trainer/network/nb201-network';
import { SgdOptimizer } from '../src/trainer/optimizer/sgd-optimizer';
import { trainStep } from '../src/trainer/session/train-step';
import { FusedKernel } from '../src/trainer/webgpu/fused-kernels';
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
  /** BN running statistics: the fused kernels update them too. */
  buffers: Map<string, Float32Array>;
}

/** The optimiser settings of a run: NB201's, and plain momentum without decay (the fused kernels' other branches). */
const OPTIMISERS = {
  nesterov: { momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
  plain: { momentum: 0.9, nesterov: false, weightDecay: 0 },
} as const;

/** STEPS SGD steps (BN in training mode) of a seeded NB201 network on the active backend. */
async function trainTwoSteps(
  optimiser: (typeof OPTIMISERS)[keyof typeof OPTIMISERS] = OPTIMISERS.nesterov,
): Promise<Trained> {
  const network = new Nb201Network({ arch: parseNb201(ARCH), macro: MACRO, seed: 7 });
  const optimizer = new SgdOptimizer({ parameters: network.parameters, ...optimiser });
  const rng = createRng(11);
  const size = MACRO.inputSize;
  const x = tf.tensor4d(
    Float32Array.from({ length: BATCH * size * size }, () => rng.next() * 2 - 1),
    [BATCH, size, size, 1],
  );
  const labels = tf.tensor1d(
    Int32Array.from({ length: BATCH }, () => rng.int(10)),
    'int32',
  );
  const losses: number[] = [];
  const correct: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const totals = trainStep({ network, optimizer, x, labels, classes: MACRO.numClasses, learningRate: 0.1 });
    const [loss, right] = await totals.data();
    totals.dispose();
    losses.push(loss);
    correct.push(right);
  }
  const read = async (state: Map<string, tf.Variable>) => {
    const values = new Map<string, Float32Array>();
    for (const [name, variable] of state) values.set(name, (await variable.data()) as Float32Array);
    return values;
  };
  const parameters = await read(network.parameters);
  const buffers = await read(network.buffers);
  tf.dispose([x, labels]);
  optimizer.dispose();
  network.dispose();
  return { losses, correct, parameters, buffers };
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('the webgpu backend on a software adapter (Dawn → OpenGL → Mesa llvmpipe)', () => {
  const convReference: { dw: Float32Array; dx: Float32Array }[] = [];
  const trainReference = {} as Record<keyof typeof OPTIMISERS, Trained>;
  let cpuKernels = 0;
  let webgpu: TrainingBackendChoice | undefined;
  let unavailable = '';

  beforeAll(async () => {
    // The cpu backend's stock kernels first (tf.setBackend: selectTrainingBackend would register ours for cpu too).
    await tf.setBackend('cpu');
    for (const c of CONV_GRADIENT_CASES) convReference.push(await convGradients(c));
    await selectTrainingBackend('cpu');
    for (const optimiser of Object.keys(OPTIMISERS) as (keyof typeof OPTIMISERS)[])
      trainReference[optimiser] = await trainTwoSteps(OPTIMISERS[optimiser]);
    cpuKernels = (
      await tf.profile(async () => {
        await trainTwoSteps();
      })
    ).kernels.length;
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
    // Run rows say what trained them: llvmpipe is a CPU, not a GPU.
    expect(webgpu.device).toMatch(/^cpu \(software webgpu: llvmpipe.*\)$/);
  });

  it("computes conv2d's filter and input gradients as the cpu backend's stock kernels do, to 1e-4", async (context) => {
    if (webgpu === undefined) return context.skip(`webgpu unavailable: ${unavailable}`);
    for (const [index, c] of CONV_GRADIENT_CASES.entries()) {
      const { dw, dx } = await convGradients(c);
      expect(maxAbsDifference(dw, convReference[index].dw), JSON.stringify(c)).toBeLessThan(1e-4);
      expect(maxAbsDifference(dx, convReference[index].dx), JSON.stringify(c)).toBeLessThan(1e-4);
    }
  }, 120_000);

  it.for(Object.keys(OPTIMISERS) as (keyof typeof OPTIMISERS)[])(
    'trains an NB201 network with every op exactly as the cpu backend does (%s SGD): losses, parameters, BN statistics',
    { timeout: 120_000 },
    async (optimiser, context) => {
      if (webgpu === undefined) return context.skip(`webgpu unavailable: ${unavailable}`);
      const trained = await trainTwoSteps(OPTIMISERS[optimiser]);
      const reference = trainReference[optimiser];
      for (let step = 0; step < STEPS; step++) {
        expect(Math.abs(trained.losses[step] - reference.losses[step])).toBeLessThan(
          1e-3 * Math.max(1, reference.losses[step]),
        );
        expect(trained.correct[step]).toBe(reference.correct[step]);
      }
      // The second loss shows the first update was applied; the parameters show both were, for every tensor.
      expect(trained.losses[1]).not.toBe(trained.losses[0]);
      for (const state of ['parameters', 'buffers'] as const) {
        expect([...trained[state].keys()]).toEqual([...reference[state].keys()]);
        for (const [name, values] of trained[state])
          expect(maxAbsDifference(values, reference[state].get(name)!), name).toBeLessThan(1e-4);
      }
    },
  );

  it('runs the SGD update and batch norm as the fused kernels, fewer kernels than on cpu', async (context) => {
    if (webgpu === undefined) return context.skip(`webgpu unavailable: ${unavailable}`);
    const profile = await tf.profile(async () => {
      await trainTwoSteps();
    });
    const names = new Set(profile.kernels.map((kernel) => kernel.name));
    for (const kernel of Object.values(FusedKernel)) expect(names, kernel).toContain(kernel);
    expect(names).not.toContain('Rsqrt');
    expect(profile.kernels.length).toBeLessThan(cpuKernels / 2);
  }, 120_000);

  it('updates a parameter larger than one dispatch row (more than 65,535 workgroups) everywhere', async (context) => {
    if (webgpu === undefined) return context.skip(`webgpu unavailable: ${unavailable}`);
    const size = 65_535 * 128 + 1_000;
    const weight = tf.variable(tf.fill([size], 1));
    const optimizer = new SgdOptimizer({
      parameters: new Map([['w', weight]]),
      momentum: 0.5,
      nesterov: false,
      weightDecay: 0,
    });
    const grad = tf.range(0, size, 1, 'float32').mod(7);
    optimizer.step(new Map([['w', grad]]), 0.25);
    optimizer.step(new Map([['w', grad]]), 0.25);
    const values = (await weight.data()) as Float32Array;
    // Two steps: slot g, then 1.5·g; the weight moves by 0.25·(g + 1.5·g).
    const expected = (i: number) => 1 - 0.25 * 2.5 * (i % 7);
    for (const i of [0, 1, 6, 65_535 * 128 - 1, 65_535 * 128, size - 2, size - 1])
      expect(values[i], `index ${i}`).toBeCloseTo(expected(i), 4);
    tf.dispose([weight, grad]);
    optimizer.dispose();
  }, 120_000);

  it('is never chosen by auto on a software adapter: auto skips it, saying why, and takes wasm', async (context) => {
    if (webgpu === undefined) return context.skip(`webgpu unavailable: ${unavailable}`);
    try {
      // Without PyTorch (NASHUB_PYTHON names none), which auto would weigh against wasm.
      const auto = await selectTrainingBackend('auto', { env: { ...process.env, NASHUB_PYTHON: '/nonexistent' } });
      expect(auto.backend).toBe('wasm');
      expect(auto.skipped.find((s) => s.backend === 'webgpu')?.reason).toMatch(
        /software rasteriser \(llvmpipe.*use --backend webgpu/,
      );
    } finally {
      await selectTrainingBackend('webgpu');
    }
    expect(tf.getBackend()).toBe('webgpu');
  });

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
