import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedTensors, randomImages } from '../../../test/support/network-fixtures';
import {
  NB101_DEFAULT_MACRO,
  createRng,
  describeNb101Network,
  nb101Cost,
  nb101NetworkSize,
  nb101VertexChannels,
  sampleNb101,
  type Nb101Arch,
  type Nb101Macro,
} from '../../core';
import { C1, C3, INCEPTION, MP } from '../../../test/support/nb101-cells';
import { selectTrainingBackend } from '../backend/select-training-backend';
import { SgdOptimizer } from '../optimizer/sgd-optimizer';
import { trainStep } from '../session/train-step';
import { Nb101Network } from './nb101-network';

const FMNIST_S8N1: Nb101Macro = {
  stemChannels: 8,
  stacks: 3,
  cellsPerStack: 1,
  numClasses: 10,
  inputChannels: 1,
  inputSize: 28,
};
const FMNIST_S16N2: Nb101Macro = {
  stemChannels: 16,
  stacks: 3,
  cellsPerStack: 2,
  numClasses: 10,
  inputChannels: 1,
  inputSize: 28,
};
/** Odd stem channels, so that the output's channels split unevenly and vertex 1 is truncated into vertex 2. */
const TINY: Nb101Macro = {
  stemChannels: 5,
  stacks: 3,
  cellsPerStack: 1,
  numClasses: 10,
  inputChannels: 1,
  inputSize: 12,
};

/**
 * Every feature of a cell: input projections (→ 1, → 3), truncation (vertex 1 has 3 channels, vertex 2 has 2 at
 * stem 5), a max-pool vertex, a two-vertex concatenation and the input's projection added to the output.
 */
const EVERYTHING: Nb101Arch = {
  matrix: [
    [0, 1, 0, 1, 1],
    [0, 0, 1, 0, 1],
    [0, 0, 0, 1, 0],
    [0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0],
  ],
  ops: ['input', C3, MP, C1, 'output'],
};
const INPUT_OUTPUT: Nb101Arch = {
  matrix: [
    [0, 1],
    [0, 0],
  ],
  ops: ['input', 'output'],
};

describe('Nb101Network', () => {
  afterAll(() => tf.disposeVariables());

  it("has core's parameter count and layer list for 20 random cells and three macros", async () => {
    await selectTrainingBackend('cpu');
    const rng = createRng(101);
    const vertexCounts = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const arch = sampleNb101(rng);
      vertexCounts.add(arch.matrix.length);
      for (const macro of [FMNIST_S8N1, FMNIST_S16N2, NB101_DEFAULT_MACRO]) {
        const network = new Nb101Network({ arch, macro, seed: i });
        const count = network.parameterCount();
        expect(count).toBe(nb101NetworkSize(arch, macro).params);
        // cost() reports millions as NAS-Bench-101's tables do; ×1e6 and rounding recovers the exact integer.
        expect(count).toBe(Math.round(nb101Cost(arch, macro).paramsM * 1e6));
        expect([...network.parameters].map(([name, v]) => [name, v.size])).toEqual(
          expectedTensors(describeNb101Network(arch, macro)),
        );
        network.dispose();
      }
    }
    // The sampler favours small cells (see sampleNb101); the draw still covers several sizes.
    expect(vertexCounts.size).toBeGreaterThanOrEqual(3);
  });

  it("has NAS-Bench-101's trainable_parameters for the README Inception-like cell (2,694,282)", async () => {
    await selectTrainingBackend('cpu');
    const network = new Nb101Network({ arch: INCEPTION, macro: NB101_DEFAULT_MACRO, seed: 0 });
    expect(network.parameterCount()).toBe(2_694_282);
    network.dispose();
  });

  it('outputs logits of the right shape and leaks no tensors, for a full cell and the input → output cell', async () => {
    await selectTrainingBackend('cpu');
    expect(nb101VertexChannels(5, 5, EVERYTHING.matrix)).toEqual([5, 3, 2, 2, 5]);
    for (const arch of [EVERYTHING, INPUT_OUTPUT, INCEPTION]) {
      const network = new Nb101Network({ arch, macro: FMNIST_S8N1, seed: 1 });
      const before = tf.memory().numTensors;
      const x = randomImages(3, FMNIST_S8N1, 2);
      const [train, evaluation] = tf.tidy(() => [network.apply(x, true), network.apply(x, false)]);
      expect(train.shape).toEqual([3, 10]);
      expect(evaluation.shape).toEqual([3, 10]);
      tf.dispose([x, train, evaluation]);
      expect(tf.memory().numTensors).toBe(before);
      network.dispose();
    }
  });

  it('refuses a stem too narrow for the cell with INVALID_ARGUMENT before creating any variable', () => {
    const tensors = tf.memory().numTensors;
    // The Inception-like cell's output concatenates 4 vertices: 3 stem channels cannot be split among them.
    expect(() => new Nb101Network({ arch: INCEPTION, macro: { ...FMNIST_S8N1, stemChannels: 3 }, seed: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: '3 channels cannot be split among 4 vertices' }),
    );
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('is deterministic for a seed: same weights and logits; another seed gives other weights', async () => {
    await selectTrainingBackend('cpu');
    const weights = async (network: Nb101Network) =>
      Promise.all([...network.parameters.values()].map(async (v) => Array.from(await v.data())));
    const logits = async (network: Nb101Network) => {
      const out = tf.tidy(() => network.apply(randomImages(2, TINY, 3), false));
      const values = Array.from(await out.data());
      out.dispose();
      return values;
    };
    const [a, b, c] = [1, 1, 2].map((seed) => new Nb101Network({ arch: EVERYTHING, macro: TINY, seed }));
    expect(await weights(b)).toEqual(await weights(a));
    expect(await logits(b)).toEqual(await logits(a));
    expect(await weights(c)).not.toEqual(await weights(a));
    for (const network of [a, b, c]) network.dispose();
  });

  it('gives the same loss and parameter gradients on wasm as on cpu (training mode)', async () => {
    const gradients = async (backend: 'cpu' | 'wasm'): Promise<{ loss: number; grads: Map<string, Float32Array> }> => {
      await selectTrainingBackend(backend);
      const network = new Nb101Network({ arch: EVERYTHING, macro: TINY, seed: 5 });
      const x = randomImages(4, TINY, 6);
      const labels = tf.oneHot(tf.tensor1d([0, 3, 7, 9], 'int32'), 10);
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(labels, network.apply(x, true)) as tf.Scalar,
      );
      const names = new Map([...network.parameters].map(([name, v]) => [v.name, name]));
      const result = new Map<string, Float32Array>();
      for (const [variableName, grad] of Object.entries(grads))
        result.set(names.get(variableName)!, (await grad.data()) as Float32Array);
      const loss = (await value.data())[0];
      tf.dispose([x, labels, value, ...Object.values(grads)]);
      network.dispose();
      return { loss, grads: result };
    };
    const cpu = await gradients('cpu');
    const wasm = await gradients('wasm');
    expect(wasm.loss).toBeCloseTo(cpu.loss, 4);
    // Every parameter gets a gradient: every vertex of a pruned cell reaches the output.
    expect(cpu.grads.size).toBe(expectedTensors(describeNb101Network(EVERYTHING, TINY)).length);
    expect([...wasm.grads.keys()].sort()).toEqual([...cpu.grads.keys()].sort());
    for (const [name, reference] of cpu.grads) {
      const grad = wasm.grads.get(name)!;
      for (let i = 0; i < grad.length; i++) expect(Math.abs(grad[i] - reference[i]), name).toBeLessThan(1e-4);
    }
  });

  it('lowers the loss of a tiny batch in a few SGD steps on wasm, leaking no tensors per step', async () => {
    await selectTrainingBackend('wasm');
    const network = new Nb101Network({ arch: EVERYTHING, macro: TINY, seed: 7 });
    const optimizer = new SgdOptimizer({
      parameters: network.parameters,
      momentum: 0.9,
      nesterov: true,
      weightDecay: 5e-4,
    });
    const x = randomImages(8, TINY, 8);
    const labels = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32');
    const losses: number[] = [];
    for (let step = 0; step < 8; step++) {
      const before = tf.memory().numTensors;
      const totals = trainStep({ network, optimizer, x, labels, classes: 10, learningRate: 0.05 });
      expect(tf.memory().numTensors).toBe(before + 1);
      losses.push((await totals.data())[0] / 8);
      totals.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.8);
    tf.dispose([x, labels]);
    optimizer.dispose();
    network.dispose();
  });
});
