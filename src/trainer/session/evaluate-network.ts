import * as tf from '@tensorflow/tfjs';
import { assembleBatch } from '../data/assemble-batch';
import type { ImageDataset, ImageSet } from '../data/image-dataset';
import type { TrainableNetwork } from '../network/trainable-network';

/** Options of {@link evaluateNetwork}. */
export interface EvaluateNetworkOptions {
  network: TrainableNetwork;
  dataset: ImageDataset;
  set: ImageSet;
  /** The examples to evaluate. */
  indices: Int32Array;
  /** Images per forward pass. */
  batchSize: number;
}

/** Mean cross-entropy and accuracy (percent) of the network in eval mode (running batch-norm statistics). */
export async function evaluateNetwork(options: EvaluateNetworkOptions): Promise<{ loss: number; acc: number }> {
  const { network, dataset, set, indices, batchSize } = options;
  let totals = tf.zeros([2]);
  for (let start = 0; start < indices.length; start += batchSize) {
    const batch = assembleBatch({ dataset, set, indices: indices.subarray(start, start + batchSize) });
    const next = tf.tidy(() => {
      const x = tf.tensor4d(batch.x, [batch.labels.length, dataset.height, dataset.width, dataset.channels]);
      const labels = tf.tensor1d(batch.labels, 'int32');
      const logits = network.apply(x, false);
      const loss = tf.losses.softmaxCrossEntropy(
        tf.oneHot(labels, dataset.classes),
        logits,
        undefined,
        undefined,
        tf.Reduction.SUM,
      );
      const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
      return tf.add(totals, tf.stack([loss, correct]));
    });
    totals.dispose();
    totals = next;
    // Let timers (job heartbeats, signals) run between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const [lossSum, correct] = await totals.data();
  totals.dispose();
  return { loss: lossSum / indices.length, acc: (100 * correct) / indices.length };
}
