/** The datasets the trainer can load, as protocols name them. */
export const DatasetName = { FASHION_MNIST: 'fashion-mnist', CIFAR10: 'cifar10' } as const;

/** One of {@link DatasetName}'s values. */
export type DatasetNameValue = (typeof DatasetName)[keyof typeof DatasetName];

/** Images with labels, as bytes: pixels are 0..255 in NHWC order. */
export interface ImageSet {
  /** count × height × width × channels bytes. */
  images: Uint8Array;
  /** count class indices. */
  labels: Uint8Array;
  count: number;
}

/** A dataset in memory: its official train and test sets, and what normalising them needs. */
export interface ImageDataset {
  name: DatasetNameValue;
  height: number;
  width: number;
  channels: number;
  classes: number;
  train: ImageSet;
  test: ImageSet;
  /** Per-channel mean of the training pixels, in [0, 1] units. */
  mean: number[];
  /** Per-channel standard deviation of the training pixels, in [0, 1] units. */
  std: number[];
}
