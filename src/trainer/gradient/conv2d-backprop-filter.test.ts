import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../core';
import { selectTrainingBackend } from '../backend/select-training-backend';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

interface Case {
  batch: number;
  size: number;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  pad: Pad;
}

function randomArray(length: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.next() * 2 - 1);
}

/** dW and dX of sum(conv2d(x, w) · r) on the active backend. */
async function gradients(c: Case): Promise<{ dw: Float32Array; dx: Float32Array }> {
  const x = tf.tensor4d(randomArray(c.batch * c.size * c.size * c.inChannels, 1), [c.batch, c.size, c.size, c.inChannels]);
  const w = tf.tensor4d(randomArray(c.kernel * c.kernel * c.inChannels * c.outChannels, 2), [c.kernel, c.kernel, c.inChannels, c.outChannels]);
  const outShape = tf.tidy(() => tf.conv2d(x, w, c.stride, c.pad).shape);
  const r = tf.tensor(randomArray(outShape.reduce((a, b) => a * b, 1), 3), outShape);
  const [dx, dw] = tf.grads((xs: tf.Tensor, ws: tf.Tensor) => tf.conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, c.stride, c.pad).mul(r).sum())([x, w]);
  const result = { dw: (await dw.data()) as Float32Array, dx: (await dx.data()) as Float32Array };
  tf.dispose([x, w, r, dx, dw]);
  return result;
}

const CASES: Case[] = [
  { batch: 2, size: 8, inChannels: 3, outChannels: 5, kernel: 3, stride: 1, pad: 'same' },
  { batch: 3, size: 7, inChannels: 4, outChannels: 2, kernel: 1, stride: 1, pad: 'same' },
  { batch: 2, size: 8, inChannels: 4, outChannels: 6, kernel: 3, stride: 2, pad: 'same' },
  { batch: 2, size: 9, inChannels: 2, outChannels: 3, kernel: 3, stride: 2, pad: 'same' },
  { batch: 2, size: 8, inChannels: 3, outChannels: 4, kernel: 3, stride: 2, pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { batch: 2, size: 7, inChannels: 3, outChannels: 4, kernel: 3, stride: 2, pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { batch: 2, size: 8, inChannels: 5, outChannels: 3, kernel: 1, stride: 2, pad: 'valid' },
  { batch: 4, size: 10, inChannels: 2, outChannels: 3, kernel: 3, stride: 2, pad: 'valid' },
  { batch: 1, size: 6, inChannels: 3, outChannels: 3, kernel: 3, stride: 1, pad: 'valid' },
];

describe('Conv2DBackpropFilter by forward convolutions', () => {
  const reference: { dw: Float32Array; dx: Float32Array }[] = [];

  beforeAll(async () => {
    // The stock kernels: tf.setBackend, not selectTrainingBackend, which would register ours for cpu too.
    await tf.setBackend('cpu');
    for (const c of CASES) reference.push(await gradients(c));
    await selectTrainingBackend('wasm');
  });

  it.each(CASES.map((c, index) => [JSON.stringify(c), index] as const))("matches the cpu backend's stock kernels on wasm: %s", async (_name, index) => {
    const { dw, dx } = await gradients(CASES[index]);
    expect(dw.length).toBe(reference[index].dw.length);
    for (let i = 0; i < dw.length; i++) expect(Math.abs(dw[i] - reference[index].dw[i])).toBeLessThan(1e-4);
    for (let i = 0; i < dx.length; i++) expect(Math.abs(dx[i] - reference[index].dx[i])).toBeLessThan(1e-4);
  });

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
