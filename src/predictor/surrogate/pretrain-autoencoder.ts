import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../core';
import { heNormal, dense, type NetworkParams } from './network';

/** Options of {@link pretrainAutoencoder}. */
export interface PretrainAutoencoderOptions {
  /** Encoded architectures, shape [records, width], entries in [0, 1] (one-hot or path). */
  inputs: tf.Tensor2D;
  /** Width of the code: the first hidden layer of the MLP that will start from it. */
  hidden: number;
  /** Adam steps. */
  steps: number;
  /** Records per step. */
  batchSize: number;
  /** Seed of the weights and the batch order. */
  seed: number;
}

/**
 * Trains a one-layer ReLU encoder and a linear decoder to reconstruct binary encodings (sigmoid cross-entropy), as
 * arch2vec does with a graph auto-encoder, and returns the encoder as an MLP's first layer (`w0`, `b0`).
 */
export function pretrainAutoencoder(options: PretrainAutoencoderOptions): NetworkParams {
  const width = options.inputs.shape[1];
  const w0 = tf.variable(heNormal(width, options.hidden, options.seed * 31 + 1));
  const b0 = tf.variable(tf.zeros([options.hidden]));
  const wd = tf.variable(heNormal(options.hidden, width, options.seed * 31 + 2));
  const bd = tf.variable(tf.zeros([width]));
  const optimizer = tf.train.adam(3e-3);
  const rng = createRng(options.seed + 5381);
  const n = options.inputs.shape[0];
  const batchSize = Math.min(n, options.batchSize);
  try {
    for (let step = 0; step < options.steps; step++) {
      const indices = tf.tensor1d(
        Array.from({ length: batchSize }, () => rng.int(n)),
        'int32',
      );
      tf.tidy(() => {
        const x = tf.gather(options.inputs, indices);
        optimizer.minimize(
          () => tf.losses.sigmoidCrossEntropy(x, dense(tf.relu(dense(x, w0, b0)), wd, bd)) as tf.Scalar,
          false,
          [w0, b0, wd, bd],
        );
      });
      indices.dispose();
    }
    return { w0: w0.clone(), b0: b0.clone() };
  } finally {
    optimizer.dispose();
    tf.dispose([w0, b0, wd, bd]);
  }
}
