import { describe, expect, it } from 'vitest';
import { createRng } from '../../core';
import { assembleBatch } from './assemble-batch';
import type { ImageDataset } from './image-dataset';

const set = { images: Uint8Array.from({ length: 2 * 9 }, (_, i) => i * 10), labels: Uint8Array.from([3, 7]), count: 2 };
const dataset: ImageDataset = {
  name: 'fashion-mnist',
  height: 3,
  width: 3,
  channels: 1,
  classes: 10,
  train: set,
  test: set,
  mean: [0.5],
  std: [0.25],
};

describe('assembleBatch', () => {
  it('normalises (pixel / 255 − mean) / std in the order of the indices', () => {
    const { x, labels } = assembleBatch({ dataset, set, indices: [1, 0] });
    expect([...labels]).toEqual([7, 3]);
    expect(x[0]).toBeCloseTo((90 / 255 - 0.5) / 0.25, 5);
    expect(x[9]).toBeCloseTo((0 - 0.5) / 0.25, 5);
  });

  it('crops with zero padding and flips, reproducibly from the seed', () => {
    const run = (seed: number): Float32Array =>
      assembleBatch({
        dataset,
        set,
        indices: [0, 1, 0, 1],
        augment: { augmentation: { cropPadding: 1, horizontalFlip: true }, rng: createRng(seed) },
      }).x;
    expect(run(3)).toEqual(run(3));
    const plain = assembleBatch({ dataset, set, indices: [0, 1, 0, 1] }).x;
    const differs = [1, 2, 3, 4, 5].some((seed) => run(seed).some((v, i) => v !== plain[i]));
    expect(differs).toBe(true);
    // A flip alone mirrors each row.
    const flipped = assembleBatch({
      dataset,
      set,
      indices: [0],
      augment: { augmentation: { cropPadding: 0, horizontalFlip: true }, rng: { next: () => 0, int: () => 0 } },
    }).x;
    const row = (v: Float32Array): number[] => [...v.subarray(0, 3)].map((p) => Math.round((p * 0.25 + 0.5) * 255));
    expect(row(flipped)).toEqual([20, 10, 0]);
  });
});
