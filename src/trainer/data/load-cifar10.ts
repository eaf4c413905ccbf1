import { ErrorCode, NashubError } from '../../core';
import { findDatasetFile } from './find-dataset-file';
import { DatasetName, type ImageDataset, type ImageSet } from './image-dataset';
import { readDatasetFile } from './read-dataset-file';

const SIZE = 32;
const PLANE = SIZE * SIZE;
/** One label byte, then the red, green and blue 32×32 planes. */
const RECORD = 1 + 3 * PLANE;

/**
 * CIFAR-10 from its binary batches (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`; records of 3,073
 * bytes, 10,000 per official batch), in `datasetsDir` or its `cifar-10-batches-bin` / `cifar10` sub-folder.
 * Pixels become NHWC. A file that is not a whole number of records is FILE_INVALID.
 */
export async function loadCifar10(datasetsDir: string): Promise<ImageDataset> {
  const train = await readBatches(
    datasetsDir,
    [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
  );
  const test = await readBatches(datasetsDir, ['test_batch.bin']);
  return {
    name: DatasetName.CIFAR10,
    height: SIZE,
    width: SIZE,
    channels: 3,
    classes: 10,
    train,
    test,
    mean: [0.4914, 0.4822, 0.4465],
    std: [0.247, 0.2435, 0.2616],
  };
}

async function readBatches(datasetsDir: string, names: string[]): Promise<ImageSet> {
  const files = names.map((name) =>
    findDatasetFile({
      datasetsDir,
      subdirs: ['cifar-10-batches-bin', 'cifar10', 'cifar-10'],
      name,
      dataset: DatasetName.CIFAR10,
    }),
  );
  const contents = await Promise.all(files.map((file) => readDatasetFile(file)));
  contents.forEach((bytes, i) => {
    if (bytes.length === 0 || bytes.length % RECORD !== 0) {
      throw new NashubError(
        ErrorCode.FILE_INVALID,
        `${files[i]}: ${bytes.length} bytes is not a whole number of ${RECORD}-byte CIFAR-10 records`,
        {
          details: { file: files[i], bytes: bytes.length, record: RECORD },
        },
      );
    }
  });
  const count = contents.reduce((sum, bytes) => sum + bytes.length / RECORD, 0);
  const images = new Uint8Array(count * 3 * PLANE);
  const labels = new Uint8Array(count);
  let index = 0;
  for (const [i, bytes] of contents.entries()) {
    for (let record = 0; record < bytes.length; record += RECORD, index++) {
      const label = bytes[record];
      if (label >= 10)
        throw new NashubError(ErrorCode.FILE_INVALID, `${files[i]}: record ${record / RECORD} has label ${label}`, {
          details: { file: files[i], label },
        });
      labels[index] = label;
      const out = index * 3 * PLANE;
      for (let p = 0; p < PLANE; p++) {
        images[out + 3 * p] = bytes[record + 1 + p];
        images[out + 3 * p + 1] = bytes[record + 1 + PLANE + p];
        images[out + 3 * p + 2] = bytes[record + 1 + 2 * PLANE + p];
      }
    }
  }
  return { images, labels, count };
}
