import type { ImageSet } from '../data/image-dataset';

/** The images a session uses out of a set, packed, and where each original index went. */
export interface CompactSet {
  set: ImageSet;
  /** Maps arrays of original indices to indices into `set`. */
  remap(indices: Int32Array): Int32Array;
}

/**
 * Packs the images of `groups` (index lists into `set`, e.g. the training and validation examples) in ascending
 * index order, so that a PyTorch process reads and holds only what the protocol uses (15,000 of Fashion-MNIST's 60,000
 * training images under fmnist-c8n1-e12) rather than the whole set.
 */
export function compactSet(set: ImageSet, groups: readonly Int32Array[]): CompactSet {
  const position = new Int32Array(set.count).fill(-1);
  for (const group of groups) for (const index of group) position[index] = 0;
  let count = 0;
  for (let i = 0; i < set.count; i++) if (position[i] === 0) position[i] = count++;
  const imageBytes = set.images.length / set.count;
  const images = new Uint8Array(count * imageBytes);
  const labels = new Uint8Array(count);
  for (let i = 0; i < set.count; i++) {
    const at = position[i];
    if (at < 0) continue;
    images.set(set.images.subarray(i * imageBytes, (i + 1) * imageBytes), at * imageBytes);
    labels[at] = set.labels[i];
  }
  return { set: { images, labels, count }, remap: (indices) => indices.map((index) => position[index]) };
}
