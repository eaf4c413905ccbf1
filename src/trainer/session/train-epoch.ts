import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core';
import { assembleBatch, type Augmentation } from '../data/assemble-batch';
import type { ImageDataset } from '../data/image-dataset';
import { shuffle } from '../data/shuffle';
import type { TrainableNetwork } from '../network/trainable-network';
import type { SgdOptimizer } from '../optimizer/sgd-optimizer';
import { trainStep } from './train-step';

/** Options of {@link trainEpoch}. */
export interface TrainEpochOptions {
  network: TrainableNetwork;
  optimizer: SgdOptimizer;
  dataset: ImageDataset;
  /** Training examples (indices into the official training set). */
  indices: Int32Array;
  batchSize: number;
  learningRate: number;
  augmentation: Augmentation;
  /** The epoch's RNG: shuffle, then augmentation, in batch order. */
  rng: Rng;
}

/**
 * One pass over the training examples in a seeded shuffled order, one SGD step per full batch (the last partial batch
 * is dropped, as PyTorch's `drop_last` does; a set smaller than one batch is one step). Returns the mean loss and the
 * accuracy in percent over the images it trained on.
 */
export async function trainEpoch(options: TrainEpochOptions): Promise<{ loss: number; acc: number }> {
  const { network, optimizer, dataset, batchSize, rng } = options;
  const order = shuffle(Int32Array.from(options.indices), rng);
  const steps = Math.max(1, Math.floor(order.length / batchSize));
  let totals = tf.zeros([2]);
  let seen = 0;
  for (let step = 0; step < steps; step++) {
    const batch = assembleBatch({
      dataset,
      set: dataset.train,
      indices: order.subarray(step * batchSize, (step + 1) * batchSize),
      augment: { augmentation: options.augmentation, rng },
    });
    const size = batch.labels.length;
    seen += size;
    const next = tf.tidy(() => {
      const x = tf.tensor4d(batch.x, [size, dataset.height, dataset.width, dataset.channels]);
      const labels = tf.tensor1d(batch.labels, 'int32');
      return tf.add(
        totals,
        trainStep({ network, optimizer, x, labels, classes: dataset.classes, learningRate: options.learningRate }),
      );
    });
    totals.dispose();
    totals = next;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const [lossSum, correct] = await totals.data();
  totals.dispose();
  return { loss: lossSum / seen, acc: (100 * correct) / seen };
}
