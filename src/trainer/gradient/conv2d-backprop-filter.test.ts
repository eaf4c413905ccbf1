import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONV_GRADIENT_CASES as CASES, convGradients as gradients } from '../../../test/support/conv-gradient-cases';
import { selectTrainingBackend } from '../backend/select-training-backend';

describe('Conv2DBackpropFilter by forward convolutions', () => {
  const reference: { dw: Float32Array; dx: Float32Array }[] = [];

  beforeAll(async () => {
    // The stock kernels: tf.setBackend, not selectTrainingBackend, which would register ours for cpu too.
    await tf.setBackend('cpu');
    for (const c of CASES) reference.push(await gradients(c));
    await selectTrainingBackend('wasm');
  });

  it.each(CASES.map((c, index) => [JSON.stringify(c), index] as const))(
    "matches the cpu backend's stock kernels on wasm: %s",
    async (_name, index) => {
      const { dw, dx } = await gradients(CASES[index]);
      expect(dw.length).toBe(reference[index].dw.length);
      for (let i = 0; i < dw.length; i++) expect(Math.abs(dw[i] - reference[index].dw[i])).toBeLessThan(1e-4);
      for (let i = 0; i < dx.length; i++) expect(Math.abs(dx[i] - reference[index].dx[i])).toBeLessThan(1e-4);
    },
  );

  it('matches on the cpu backend too', async () => {
    await selectTrainingBackend('cpu');
    for (const [index, c] of CASES.entries()) {
      const { dw } = await gradients(c);
      for (let i = 0; i < dw.length; i++) expect(Math.abs(dw[i] - reference[index].dw[i])).toBeLessThan(1e-4);
    }
    await selectTrainingBackend('wasm');
  });

  it('leaves no tensors or backend buffers behind', async () => {
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    await gradients(CASES[2]);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });
});
