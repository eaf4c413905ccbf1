import * as tf from '@tensorflow/tfjs';

/** Named weights of a network; the names are what `save` writes. */
export type NetworkParams = Record<string, tf.Tensor>;

/** A small network as two pure functions, so weights can be trained, saved and loaded by name. */
export interface Network {
  /** Fresh weights for inputs like `inputs`, from `seed`. */
  init(inputs: readonly tf.Tensor[], seed: number): NetworkParams;
  /** Output per row of the batch, shape [B]. */
  forward(params: NetworkParams, inputs: readonly tf.Tensor[]): tf.Tensor1D;
}

/** He-normal weights [fanIn, fanOut] from a tfjs seed (tfjs seeds its own generator; Math.random is never used). */
export function heNormal(fanIn: number, fanOut: number, seed: number): tf.Tensor2D {
  // tfjs treats a seed of 0 as no seed (`seed ? seed : Math.random()`), so shift every seed off 0: seed 0 was not
  // reproducible across processes before this.
  return tf.randomNormal([fanIn, fanOut], 0, Math.sqrt(2 / Math.max(1, fanIn)), 'float32', seed + 1) as tf.Tensor2D;
}

/** `x · w + b` on the last axis of a rank-2 or rank-3 tensor. */
export function dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const flat = x.reshape([-1, shape[shape.length - 1]!]);
  const out = tf.add(tf.matMul(flat as tf.Tensor2D, w as tf.Tensor2D), b);
  return out.reshape([...shape.slice(0, -1), w.shape[1]!]);
}
