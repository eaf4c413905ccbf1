import { ErrorCode, NashubError } from '../../core';
import { findDatasetFile } from './find-dataset-file';
import { DatasetName, type ImageDataset, type ImageSet } from './image-dataset';
import { readDatasetFile } from './read-dataset-file';
import { readIdx } from './read-idx';

/** Fashion-MNIST's ten classes, 28×28 grey images. */
const CLASSES = 10;
const SIZE = 28;

/**
 * Fashion-MNIST from its four IDX files (gzipped or not), in `datasetsDir` or `datasetsDir/fashion-mnist`.
 * Mean and std are those of the 60,000 training images (Zalando's published 0.2860 / 0.3530).
 */
export async function loadFashionMnist(datasetsDir: string): Promise<ImageDataset> {
  const [train, test] = await Promise.all([
    readSplit(datasetsDir, 'train', 60_000),
    readSplit(datasetsDir, 't10k', 10_000),
  ]);
  return {
    name: DatasetName.FASHION_MNIST,
    height: SIZE,
    width: SIZE,
    channels: 1,
    classes: CLASSES,
    train,
    test,
    mean: [0.286],
    std: [0.353],
  };
}

async function readSplit(datasetsDir: string, prefix: 'train' | 't10k', expectedCount: number): Promise<ImageSet> {
  const find = (name: string): string =>
    findDatasetFile({
      datasetsDir,
      subdirs: ['fashion-mnist', 'fashion_mnist'],
      name,
      suffixes: ['.gz'],
      dataset: DatasetName.FASHION_MNIST,
    });
  const imagesFile = find(`${prefix}-images-idx3-ubyte`);
  const labelsFile = find(`${prefix}-labels-idx1-ubyte`);
  const [imageBytes, labelBytes] = await Promise.all([readDatasetFile(imagesFile), readDatasetFile(labelsFile)]);
  const images = readIdx(imageBytes, 3, imagesFile);
  const labels = readIdx(labelBytes, 1, labelsFile);
  const invalid = (reason: string, details: Record<string, unknown>): never => {
    throw new NashubError(ErrorCode.FILE_INVALID, `fashion-mnist ${prefix}: ${reason}`, {
      details: { imagesFile, labelsFile, ...details },
    });
  };
  if (images.dims[1] !== SIZE || images.dims[2] !== SIZE)
    invalid(`images are ${images.dims[1]}×${images.dims[2]}, expected 28×28`, { dims: images.dims });
  if (images.dims[0] !== labels.dims[0])
    invalid(`${images.dims[0]} images but ${labels.dims[0]} labels`, {
      images: images.dims[0],
      labels: labels.dims[0],
    });
  if (images.dims[0] !== expectedCount)
    invalid(`${images.dims[0]} images, expected ${expectedCount}`, { count: images.dims[0], expectedCount });
  const bad = labels.data.findIndex((label) => label >= CLASSES);
  if (bad >= 0) invalid(`label ${labels.data[bad]} at ${bad} is not a class 0..9`, { index: bad });
  return { images: images.data, labels: labels.data, count: images.dims[0] };
}
