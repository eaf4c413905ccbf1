import * as tf from '@tensorflow/tfjs';
import type { TrainableNetwork } from '../network/trainable-network';
import type { SgdOptimizer } from '../optimizer/sgd-optimizer';

/** Options of {@link trainStep}. */
export interface TrainStepOptions {
  network: TrainableNetwork;
  optimizer: SgdOptimizer;
  /** NHWC images of the batch. */
  x: tf.Tensor4D;
  /** Class of each image (int32). */
  labels: tf.Tensor1D;
  classes: number;
  learningRate: number;
}

/**
 * One SGD step: forward in training mode, cross-entropy, gradients of every parameter, optimiser update. Returns
 * [batch loss sum, correct predictions] as a tensor, so callers can add them up without a sync per step.
 */
export function trainStep(options: TrainStepOptions): tf.Tensor1D {
  const { network, x, labels } = options;
  return tf.tidy(() => {
    const names = new Map([...network.parameters].map(([name, variable]) => [variable.name, name]));
    let logits: tf.Tensor2D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      logits = tf.keep(network.apply(x, true));
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, options.classes), logits) as tf.Scalar;
    }, [...network.parameters.values()]);
    options.optimizer.step(
      new Map(Object.entries(grads).map(([variableName, grad]) => [names.get(variableName)!, grad])),
      options.learningRate,
    );
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits!, 1), labels), 'float32'));
    // Kept out of variableGrads' tidy for the accuracy; no tidy owns it now.
    logits!.dispose();
    return tf.stack([tf.mul(value, x.shape[0]), correct]) as tf.Tensor1D;
  });
}
