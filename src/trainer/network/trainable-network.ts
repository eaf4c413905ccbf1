import type * as tf from '@tensorflow/tfjs';

/** The state tensors of a network, by the layer names of core's `describeXNetwork` plus a role suffix. */
export type NetworkState = Map<string, tf.Variable>;

/**
 * What a training session needs of a network, whatever its search space: the trainable variables (for gradients, the
 * optimiser and checkpoints), the non-trainable state (checkpoints), the forward pass and disposal.
 */
export interface TrainableNetwork {
  /** Trainable variables by name, in creation order (the order of core's layer list). */
  readonly parameters: NetworkState;
  /** Non-trainable state, e.g. batch-norm running statistics; saved in checkpoints. */
  readonly buffers: NetworkState;
  /** Logits [batch, classes] of NHWC images. Training mode uses batch statistics and updates the running ones. */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor2D;
  /** Number of trainable scalars (core's `params`, not in millions). */
  parameterCount(): number;
  /** Frees every variable. */
  dispose(): void;
}

/**
 * The state and the methods every network has in common; a subclass fills `parameters` and `buffers` and sets
 * `forward` in its constructor.
 */
export abstract class NetworkBase implements TrainableNetwork {
  /** Trainable variables, in creation order (the order of core's layer list). */
  readonly parameters: NetworkState = new Map();
  /** Non-trainable state: the batch norms' running statistics. */
  readonly buffers: NetworkState = new Map();
  /** The forward pass the subclass built. */
  protected forward!: (x: tf.Tensor4D, training: boolean) => tf.Tensor2D;

  /** Logits [batch, classes] of NHWC images. Training mode uses batch statistics and updates the running ones. */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor2D {
    return this.forward(x, training);
  }

  /** Number of trainable scalars (core's `params`, not in millions). */
  parameterCount(): number {
    let count = 0;
    for (const variable of this.parameters.values()) count += variable.size;
    return count;
  }

  /** Frees every variable. */
  dispose(): void {
    for (const variable of [...this.parameters.values(), ...this.buffers.values()]) variable.dispose();
  }
}
