import type { Rng } from '../../core';
import { drawAugmentation, type Augmentation } from '../data/assemble-batch';
import { shuffle } from '../data/shuffle';

/** Options of {@link planEpoch}. */
export interface PlanEpochOptions {
  /** Training examples (indices into the official training set). */
  indices: Int32Array;
  batchSize: number;
  augmentation: Augmentation;
  /** The epoch's RNG (`epochSeed(seed, epoch)`), as `trainEpoch` gets it. */
  rng: Rng;
}

/** One epoch's images in training order with each one's augmentation, for a backend that assembles batches itself. */
export interface EpochPlan {
  /** Full batches of the epoch (the last partial one dropped; a set smaller than a batch is one step). */
  steps: number;
  /** Example indices in training order: `steps` batches of `batchSize`, back to back. */
  order: Int32Array;
  /** Crop offsets and flips, one per entry of `order`. */
  offsetY: Int16Array;
  offsetX: Int16Array;
  flip: Uint8Array;
}

/**
 * Draws exactly what `trainEpoch` draws from the same RNG, in the same order: the shuffle, then each batch's
 * augmentations image by image. So the PyTorch backend trains on the batches, crops and flips a tfjs epoch of the same
 * run would train on.
 */
export function planEpoch(options: PlanEpochOptions): EpochPlan {
  const { batchSize, augmentation, rng } = options;
  const shuffled = shuffle(Int32Array.from(options.indices), rng);
  const steps = Math.max(1, Math.floor(shuffled.length / batchSize));
  const order = shuffled.subarray(0, Math.min(shuffled.length, steps * batchSize));
  const offsetY = new Int16Array(order.length);
  const offsetX = new Int16Array(order.length);
  const flip = new Uint8Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const drawn = drawAugmentation(augmentation, rng);
    offsetY[i] = drawn.offsetY;
    offsetX[i] = drawn.offsetX;
    flip[i] = drawn.flip ? 1 : 0;
  }
  return { steps, order, offsetY, offsetX, flip };
}
