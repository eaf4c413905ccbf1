import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core';

/**
 * A tensor of values drawn uniformly from [−bound, bound) by a seeded RNG, in row-major order: PyTorch's default
 * conv and linear initialisation with bound = 1/√fan_in, reproducible from the seed.
 */
export function seededUniform(shape: number[], bound: number, rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (rng.next() * 2 - 1) * bound;
  return tf.tensor(values, shape);
}
