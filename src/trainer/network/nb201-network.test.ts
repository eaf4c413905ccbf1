import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedTensors, randomImages } from '../../../test/support/network-fixtures';
import { createRng, describeNb201Network, nb201Cost, sampleNb201, type Nb201Arch, type Nb201Macro } from '../../core';
import { selectTrainingBackend } from '../backend/select-training-backend';
import { Nb201Network } from './nb201-network';

const FMNIST_C8N1: Nb201Macro = { C: 8, N: 1, numClasses: 10, inputChannels: 1, inputSize: 28 };
const FMNIST_C16N5: Nb201Macro = { C: 16, N: 5, numClasses: 10, inputChannels: 1, inputSize: 28 };
const CIFAR_C16N5: Nb201Macro = { C: 16, N: 5, numClasses: 10, inputChannels: 3, inputSize: 32 };
const ALL_OPS: Nb201Arch = ['nor_conv_3x3', 'avg_pool_3x3', 'nor_conv_1x1', 'skip_connect', 'none', 'nor_conv_3x3'];

describe('Nb201Network', () => {
  afterAll(() => tf.disposeVariables());

  it("has core's parameter count and layer list for 20 random cells and the fmnist and cifar macros", async () => {
    await selectTrainingBackend('cpu');
    const rng = createRng(201);
    for (let i = 0; i < 20; i++) {
      const arch = sampleNb201(rng);
      for (const macro of [FMNIST_C8N1, FMNIST_C16N5, CIFAR_C16N5]) {
        const network = new Nb201Network({ arch, macro, seed: i });
        const count = network.parameterCount();
        // cost() reports millions as NAS-Bench-201 does; ×1e6 and rounding recovers the exact integer.
        expect(count).toBe(Math.round(nb201Cost(arch, macro).paramsM * 1e6));
        expect([...network.parameters].map(([name, v]) => [name, v.size])).toEqual(
          expectedTensors(describeNb201Network(arch, macro)),
        );
        network.dispose();
      }
    }
  });

  it('outputs logits of the right shape and leaks no tensors', async () => {
    await selectTrainingBackend('cpu');
    const network = new Nb201Network({ arch: ALL_OPS, macro: FMNIST_C8N1, seed: 1 });
    const before = tf.memory().numTensors;
    const x = randomImages(3, FMNIST_C8N1, 2);
    const logits = tf.tidy(() => network.apply(x, true));
    expect(logits.shape).toEqual([3, 10]);
    tf.dispose([x, logits]);
    expect(tf.memory().numTensors).toBe(before);
    network.dispose();
  });

  it('an all-none cell outputs zeros, so the network output is the bias path only', async () => {
    await selectTrainingBackend('cpu');
    const arch: Nb201Arch = ['none', 'none', 'none', 'none', 'none', 'none'];
    const network = new Nb201Network({ arch, macro: { ...FMNIST_C8N1, N: 1 }, seed: 3 });
    const logits = tf.tidy(() => network.apply(randomImages(2, FMNIST_C8N1, 4), false));
    const rows = (await logits.array()) as number[][];
    // Stage 1's cell is zeros, so everything after it is input-independent: both images give the same logits.
    rows[0].forEach((value, i) => expect(value).toBeCloseTo(rows[1][i], 6));
    logits.dispose();
    network.dispose();
  });

  it('gives the same loss and parameter gradients on wasm as on cpu (training mode)', async () => {
    const macro: Nb201Macro = { C: 4, N: 2, numClasses: 10, inputChannels: 1, inputSize: 12 };
    const gradients = async (backend: 'cpu' | 'wasm'): Promise<{ loss: number; grads: Map<string, Float32Array> }> => {
      await selectTrainingBackend(backend);
      const network = new Nb201Network({ arch: ALL_OPS, macro, seed: 5 });
      const x = randomImages(4, macro, 6);
      const labels = tf.oneHot(tf.tensor1d([0, 3, 7, 9], 'int32'), 10);
      const buffers = tf.engine().backend.numDataIds();
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(labels, network.apply(x, true)) as tf.Scalar,
      );
      const names = new Map([...network.parameters].map(([name, v]) => [v.name, name]));
      const result = new Map<string, Float32Array>();
      for (const [variableName, grad] of Object.entries(grads))
        result.set(names.get(variableName)!, (await grad.data()) as Float32Array);
      const loss = (await value.data())[0];
      tf.dispose([x, labels, value, ...Object.values(grads)]);
      // Backend buffers, not just tensors: the replaced kernels (shared Identity, forward-conv gradients) free theirs.
      expect(tf.engine().backend.numDataIds(), backend).toBe(buffers - 2);
      network.dispose();
      return { loss, grads: result };
    };
    const cpu = await gradients('cpu');
    const wasm = await gradients('wasm');
    expect(wasm.loss).toBeCloseTo(cpu.loss, 4);
    expect([...wasm.grads.keys()].sort()).toEqual([...cpu.grads.keys()].sort());
    for (const [name, reference] of cpu.grads) {
      const grad = wasm.grads.get(name)!;
      for (let i = 0; i < grad.length; i++) expect(Math.abs(grad[i] - reference[i]), name).toBeLessThan(1e-4);
    }
  });
});
