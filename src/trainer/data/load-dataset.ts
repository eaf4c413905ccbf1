import type { DatasetNameValue, ImageDataset } from './image-dataset';
import { loadCifar10 } from './load-cifar10';
import { loadFashionMnist } from './load-fashion-mnist';

const LOADERS: Record<DatasetNameValue, (datasetsDir: string) => Promise<ImageDataset>> = {
  'fashion-mnist': loadFashionMnist,
  cifar10: loadCifar10,
};

/** Loads a dataset by name from `datasetsDir` (DATASET_MISSING when its files are absent, FILE_INVALID when corrupt). */
export function loadDataset(name: DatasetNameValue, datasetsDir: string): Promise<ImageDataset> {
  return LOADERS[name](datasetsDir);
}
