import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core';
import { selectTrainingBackend } from '../backend/select-training-backend';
import { BatchNorm } from './batch-norm';

function random(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.next() * 4 - 1),
    shape,
  );
}

describe('BatchNorm', () => {
  it('closed-form gradients equal tfjs autodiff of (x − mean)·rsqrt(var + ε)·γ + β', async () => {
    await selectTrainingBackend('cpu');
    const layer = new BatchNorm(3);
    layer.gamma.assign(random([3], 1));
    layer.beta.assign(random([3], 2));
    const x = random([4, 5, 5, 3], 3);
    const weights = random([4, 5, 5, 3], 4);
    const plain = (input: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Scalar => {
      const { mean, variance } = tf.moments(input, [0, 1, 2]);
      return tf.sum(
        tf.mul(tf.add(tf.mul(tf.mul(tf.sub(input, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta), weights),
      );
    };
    const expected = tf.grads(plain)([x, layer.gamma, layer.beta]);
    const dx = await tf
      .grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input as tf.Tensor4D, true), weights)))(x)
      .data();
    const expectedDx = await expected[0].data();
    for (let i = 0; i < dx.length; i++) expect(Math.abs(dx[i] - expectedDx[i])).toBeLessThan(1e-4);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(layer.apply(x as tf.Tensor4D, true), weights)) as tf.Scalar,
      [layer.gamma, layer.beta],
    );
    for (const [k, variable] of [layer.gamma, layer.beta].entries()) {
      const a = await grads[variable.name].data();
      const e = await expected[k + 1].data();
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - e[i])).toBeLessThan(1e-4);
    }
  });

  it('moves the running statistics toward the batch ones (momentum 0.1, unbiased variance) and uses them in eval mode', async () => {
    await selectTrainingBackend('cpu');
    const layer = new BatchNorm(1);
    const x = tf.tensor4d([1, 2, 3, 6], [4, 1, 1, 1]);
    tf.tidy(() => layer.apply(x, true));
    expect((await layer.runningMean.data())[0]).toBeCloseTo(0.9 * 0 + 0.1 * 3, 6);
    expect((await layer.runningVariance.data())[0]).toBeCloseTo(0.9 * 1 + 0.1 * (14 / 3), 5);
    const y = tf.tidy(() => layer.apply(x, false));
    expect((await y.data())[0]).toBeCloseTo((1 - 0.3) / Math.sqrt(0.9 + 1.4 / 3 + 1e-5), 4);
  });
});
