import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../core';
import type { Network } from './network';

/** Options of {@link trainNetwork}. */
export interface TrainNetworkOptions {
  /** The network's functions. */
  network: Network;
  /** Trainable weights, updated in place. */
  params: Record<string, tf.Variable>;
  /** Encoded inputs of all training records (first axis = record). */
  inputs: readonly tf.Tensor[];
  /** Standardised targets, shape [records]. */
  targets: tf.Tensor1D;
  /** Adam steps. */
  steps: number;
  /** Records per step (capped at the number of records). */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Weight of the pairwise hinge ranking loss added to the MSE (0: plain MSE). */
  rankingWeight: number;
  /** Seed of the batch order. */
  seed: number;
}

/**
 * Minimises MSE + rankingWeight · pairwise hinge (margin 0.1 in standard deviations, over all ordered pairs of a batch)
 * with Adam, on shuffled mini-batches drawn from a seeded RNG; the ranking term targets Kendall τ directly.
 */
export function trainNetwork(options: TrainNetworkOptions): void {
  const n = options.targets.shape[0];
  const batchSize = Math.min(n, options.batchSize);
  const rng = createRng(options.seed);
  const order = Array.from({ length: n }, (_, i) => i);
  let cursor = n;
  const optimizer = tf.train.adam(options.learningRate);
  const varList = Object.values(options.params);
  try {
    for (let step = 0; step < options.steps; step++) {
      if (cursor + batchSize > n) {
        for (let i = n - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        cursor = 0;
      }
      const indices = tf.tensor1d(order.slice(cursor, cursor + batchSize), 'int32');
      cursor += batchSize;
      tf.tidy(() => {
        const xs = options.inputs.map((t) => tf.gather(t, indices));
        const ys = tf.gather(options.targets, indices);
        optimizer.minimize(
          () => lossOf(options.network.forward(options.params, xs), ys, options.rankingWeight),
          false,
          varList,
        );
      });
      indices.dispose();
    }
  } finally {
    optimizer.dispose();
  }
}

function lossOf(predicted: tf.Tensor1D, targets: tf.Tensor1D, rankingWeight: number): tf.Scalar {
  const mse = tf.losses.meanSquaredError(targets, predicted) as tf.Scalar;
  if (rankingWeight === 0) return mse;
  const dp = tf.sub(predicted.expandDims(1), predicted.expandDims(0));
  const sign = tf.sign(tf.sub(targets.expandDims(1), targets.expandDims(0)));
  const hinge = tf.mean(tf.mul(tf.abs(sign), tf.relu(tf.sub(0.1, tf.mul(sign, dp)))));
  return tf.add(mse, tf.mul(rankingWeight, hinge)) as tf.Scalar;
}
