import type { Rng } from '../../core';
import type { ImageDataset, ImageSet } from './image-dataset';

/** Random augmentation of training images; evaluation batches use none. */
export interface Augmentation {
  /** Pixels of zero padding on each side before a random crop back to the original size; 0 disables the crop. */
  cropPadding: number;
  /** Flip each image left–right with probability 1/2. */
  horizontalFlip: boolean;
}

/** Options of {@link assembleBatch}. */
export interface AssembleBatchOptions {
  dataset: ImageDataset;
  /** The set the indices point into. */
  set: ImageSet;
  /** Examples of the batch, in order. */
  indices: ArrayLike<number>;
  /** Augmentation and the RNG that draws it; omit for evaluation. */
  augment?: { augmentation: Augmentation; rng: Rng };
}

/** A batch ready for tensors: NHWC floats normalised per channel, and the labels. */
export interface AssembledBatch {
  x: Float32Array;
  labels: Int32Array;
}

/** One image's random crop offset (the source pixel of output (y, x) is (y + offsetY, x + offsetX)) and flip. */
export interface ImageAugmentation {
  offsetY: number;
  offsetX: number;
  /** Mirror left–right before the crop offset applies. */
  flip: boolean;
}

const NO_AUGMENTATION: ImageAugmentation = { offsetY: 0, offsetX: 0, flip: false };

/**
 * Draws one image's augmentation: two crop offsets in [−padding, padding] (drawn even when padding is 0), then the
 * flip when enabled. The one place the draw order is fixed, so that the PyTorch backend's epoch plan draws exactly
 * what a tfjs epoch draws.
 */
export function drawAugmentation(augmentation: Augmentation, rng: Rng): ImageAugmentation {
  const padding = augmentation.cropPadding;
  const offsetY = rng.int(2 * padding + 1) - padding;
  const offsetX = rng.int(2 * padding + 1) - padding;
  return { offsetY, offsetX, flip: augmentation.horizontalFlip && rng.next() < 0.5 };
}

/**
 * Builds a batch: optional random crop (zero = black padding, as torchvision pads PIL images) and flip, then
 * (pixel / 255 − mean) / std per channel.
 */
export function assembleBatch(options: AssembleBatchOptions): AssembledBatch {
  const { dataset, set, indices, augment } = options;
  const { height, width, channels } = dataset;
  const imageSize = height * width * channels;
  const x = new Float32Array(indices.length * imageSize);
  const labels = new Int32Array(indices.length);
  const scale = dataset.std.map((std) => 1 / (255 * std));
  const shift = dataset.mean.map((mean, c) => -mean / dataset.std[c]);
  for (let b = 0; b < indices.length; b++) {
    const index = indices[b];
    labels[b] = set.labels[index];
    const source = index * imageSize;
    const target = b * imageSize;
    const { offsetY, offsetX, flip } =
      augment === undefined ? NO_AUGMENTATION : drawAugmentation(augment.augmentation, augment.rng);
    for (let y = 0; y < height; y++) {
      const sy = y + offsetY;
      for (let xPos = 0; xPos < width; xPos++) {
        const sx = (flip ? width - 1 - xPos : xPos) + offsetX;
        const inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
        for (let c = 0; c < channels; c++) {
          const pixel = inside ? set.images[source + (sy * width + sx) * channels + c] : 0;
          x[target + (y * width + xPos) * channels + c] = pixel * scale[c] + shift[c];
        }
      }
    }
  }
  return { x, labels };
}
