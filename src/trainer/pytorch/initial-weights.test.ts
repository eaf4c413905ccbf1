import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng, nb101Space, nb201Space, sampleNb101, sampleNb201 } from '../../core';
import { selectTrainingBackend } from '../backend/select-training-backend';
import { parseTrainableArchitecture } from '../network/trainable-architecture';
import { initialWeights } from './initial-weights';
import { describeTorchNetwork } from './torch-network-spec';

describe('initialWeights', () => {
  afterAll(() => tf.disposeVariables());

  it("are the tfjs networks' initial parameters, value for value, for sampled nb201 and nb101 cells", async () => {
    await selectTrainingBackend('cpu');
    const rng = createRng(7);
    const archs = [
      ...[0, 1, 2].map(() => ['nb201', nb201Space.format(sampleNb201(rng))]),
      ...[0, 1, 2].map(() => ['nb101', nb101Space.format(sampleNb101(rng))]),
    ];
    const sizes = { C: 8, N: 2, numClasses: 10, inputChannels: 1, inputSize: 28 };
    for (const [space, arch] of archs) {
      const network = parseTrainableArchitecture(space, arch).build({ ...sizes, seed: 5 });
      const drawn = initialWeights(describeTorchNetwork({ space, arch, ...sizes }).layers, 5);
      const convAndLinear = [...network.parameters].filter(([name]) => !/\.(gamma|beta)$/.test(name));
      expect(drawn.map((t) => t.name)).toEqual(convAndLinear.map(([name]) => name));
      for (const [i, [name, variable]] of convAndLinear.entries()) {
        expect(drawn[i].shape, name).toEqual(variable.shape);
        expect(Buffer.from(drawn[i].values.buffer).equals(Buffer.from(variable.dataSync<'float32'>().buffer))).toBe(
          true,
        );
      }
      network.dispose();
    }
  });
});
