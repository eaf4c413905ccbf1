import type { ImageDataset } from '../data/image-dataset';
import { stratifiedSplit } from '../data/stratified-split';
import type { TrainingProtocol } from '../protocol/training-protocol';

/** The examples a protocol trains, validates and tests on. */
export interface DatasetSplits {
  /** Indices into the official training set. */
  trainIndices: Int32Array;
  /** Indices into the official training set, disjoint from the training ones. */
  validIndices: Int32Array;
  /** Indices into the official test set. */
  testIndices: Int32Array;
}

/**
 * The protocol's seeded stratified draws: validation, then training examples from the official training set (all
 * the rest unless `trainSubset`), and a test subset (all of the test set unless `testSubset`). The same for every
 * run and every backend of the protocol.
 */
export function splitDataset(protocol: TrainingProtocol, dataset: ImageDataset): DatasetSplits {
  const trainSize = protocol.trainSubset ?? dataset.train.count - protocol.validSize;
  const [validIndices, trainIndices] = stratifiedSplit({
    labels: dataset.train.labels,
    classes: dataset.classes,
    sizes: [protocol.validSize, trainSize],
    seed: protocol.splitSeed,
  });
  const testIndices =
    protocol.testSubset === undefined
      ? Int32Array.from({ length: dataset.test.count }, (_, i) => i)
      : stratifiedSplit({
          labels: dataset.test.labels,
          classes: dataset.classes,
          sizes: [protocol.testSubset],
          seed: protocol.splitSeed,
        })[0];
  return { trainIndices, validIndices, testIndices };
}
