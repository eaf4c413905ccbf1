import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/core';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

/** One conv2d shape whose gradients are compared across backends. */
export interface ConvGradientCase {
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

/** dW and dX of sum(conv2d(x, w) · r) on the active backend, for seeded x, w and r. */
export async function convGradients(c: ConvGradientCase): Promise<{ dw: Float32Array; dx: Float32Array }> {
  const x = tf.tensor4d(randomArray(c.batch * c.size * c.size * c.inChannels, 1), [
    c.batch,
    c.size,
    c.size,
    c.inChannels,
  ]);
  const w = tf.tensor4d(randomArray(c.kernel * c.kernel * c.inChannels * c.outChannels, 2), [
    c.kernel,
    c.kernel,
    c.inChannels,
    c.outChannels,
  ]);
  const outShape = tf.tidy(() => tf.conv2d(x, w, c.stride, c.pad).shape);
  const r = tf.tensor(
    randomArray(
      outShape.reduce((a, b) => a * b, 1),
      3,
    ),
    outShape,
  );
  const [dx, dw] = tf.grads((xs: tf.Tensor, ws: tf.Tensor) =>
    tf
      .conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, c.stride, c.pad)
      .mul(r)
      .sum(),
  )([x, w]);
  const result = { dw: (await dw.data()) as Float32Array, dx: (await dx.data()) as Float32Array };
  tf.dispose([x, w, r, dx, dw]);
  return result;
}

/** The shapes the trainer's networks use: 1×1 and 3×3, stride 1 and 2, same, valid and explicit padding. */
export const CONV_GRADIENT_CASES: ConvGradientCase[] = [
  { batch: 2, size: 8, inChannels: 3, outChannels: 5, kernel: 3, stride: 1, pad: 'same' },
  { batch: 3, size: 7, inChannels: 4, outChannels: 2, kernel: 1, stride: 1, pad: 'same' },
  { batch: 2, size: 8, inChannels: 4, outChannels: 6, kernel: 3, stride: 2, pad: 'same' },
  { batch: 2, size: 9, inChannels: 2, outChannels: 3, kernel: 3, stride: 2, pad: 'same' },
  {
    batch: 2,
    size: 8,
    inChannels: 3,
    outChannels: 4,
    kernel: 3,
    stride: 2,
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
  {
    batch: 2,
    size: 7,
    inChannels: 3,
    outChannels: 4,
    kernel: 3,
    stride: 2,
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
  { batch: 2, size: 8, inChannels: 5, outChannels: 3, kernel: 1, stride: 2, pad: 'valid' },
  { batch: 4, size: 10, inChannels: 2, outChannels: 3, kernel: 3, stride: 2, pad: 'valid' },
  { batch: 1, size: 6, inChannels: 3, outChannels: 3, kernel: 3, stride: 1, pad: 'valid' },
];
