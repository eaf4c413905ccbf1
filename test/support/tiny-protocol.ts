/** Debian's Fashion-MNIST (`dataset-fashion-mnist`), which .ci/run installs. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * The hyperparameters of a protocol that trains in seconds on wasm: C=4, N=1 on Fashion-MNIST, 200 training images,
 * 100 for validation and test, cosine SGD without augmentation; `overrides` change single fields (smaller subsets).
 */
export function tinyHyperparameters(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dataset: 'fashion-mnist',
    C: 4,
    N: 1,
    trainSubset: 200,
    validSize: 100,
    testSubset: 100,
    splitSeed: 0,
    batchSize: 50,
    learningRate: 0.05,
    minLearningRate: 0,
    lrSchedule: 'cosine',
    momentum: 0.9,
    nesterov: true,
    weightDecay: 0.0005,
    augmentation: { cropPadding: 0, horizontalFlip: false },
    ...overrides,
  };
}

/** A tiny test protocol as createProtocol takes it. */
export function tinyProtocol(
  name: string,
  epochs: number,
): {
  name: string;
  epochs: number;
  description: string;
  hyperparameters: Record<string, unknown>;
} {
  return { name, epochs, description: 'a test protocol', hyperparameters: tinyHyperparameters() };
}
