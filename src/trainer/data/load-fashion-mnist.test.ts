import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../core';
import { loadFashionMnist } from './load-fashion-mnist';
import { loadDataset } from './load-dataset';
import { readIdx } from './read-idx';
import { DEFAULT_DATASETS_DIR } from './find-dataset-file';

function idx(dims: number[], fill: (i: number) => number): Buffer {
  const size = dims.reduce((a, b) => a * b, 1);
  const bytes = Buffer.alloc(4 + 4 * dims.length + size);
  bytes[2] = 0x08;
  bytes[3] = dims.length;
  dims.forEach((d, i) => bytes.writeUInt32BE(d, 4 + 4 * i));
  for (let i = 0; i < size; i++) bytes[4 + 4 * dims.length + i] = fill(i);
  return bytes;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(NashubError);
    return (error as NashubError).code;
  }
}

function codeOfSync(run: () => unknown): Promise<string | undefined> {
  return codeOf(Promise.resolve().then(run));
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nashub-idx-'));
  dirs.push(dir);
  return dir;
}

describe('readIdx', () => {
  it('decodes dims and data', () => {
    const { dims, data } = readIdx(
      idx([2, 3], (i) => i),
      2,
      'x',
    );
    expect(dims).toEqual([2, 3]);
    expect([...data]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects a wrong magic, type, rank, and truncated or padded files with FILE_INVALID', async () => {
    const good = idx([2, 3], (i) => i);
    const cases: Uint8Array[] = [
      Buffer.from([1, 0, 8, 2]),
      Buffer.concat([Buffer.from([0, 0, 0x0d, 2]), good.subarray(4)]),
      good.subarray(0, 2),
      good.subarray(0, 7),
      good.subarray(0, good.length - 1),
      Buffer.concat([good, Buffer.from([0])]),
    ];
    for (const bytes of cases) expect(await codeOfSync(() => readIdx(bytes, 2, 'x'))).toBe(ErrorCode.FILE_INVALID);
    expect(await codeOfSync(() => readIdx(good, 3, 'x'))).toBe(ErrorCode.FILE_INVALID);
  });
});

describe('loadFashionMnist', () => {
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** Writes a dataset with `train` and `test` images of 28×28, gzipped or not. */
  function writeDataset(dir: string, counts: { train: number; test: number }, gzip: boolean): void {
    const write = (name: string, bytes: Buffer): void =>
      writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
    for (const [prefix, count] of [
      ['train', counts.train],
      ['t10k', counts.test],
    ] as const) {
      write(
        `${prefix}-images-idx3-ubyte`,
        idx([count, 28, 28], (i) => i % 256),
      );
      write(
        `${prefix}-labels-idx1-ubyte`,
        idx([count], (i) => i % 10),
      );
    }
  }

  it('is DATASET_MISSING when the folder has no files', async () => {
    expect(await codeOf(loadFashionMnist(tempDir()))).toBe(ErrorCode.DATASET_MISSING);
    expect(await codeOf(loadDataset('fashion-mnist', join(tempDir(), 'nowhere')))).toBe(ErrorCode.DATASET_MISSING);
    expect(await codeOf(loadDataset('cifar10', tempDir()))).toBe(ErrorCode.DATASET_MISSING);
  });

  it('checks the counts (60,000 / 10,000), gzipped or raw', async () => {
    for (const gzip of [true, false]) {
      const dir = tempDir();
      writeDataset(dir, { train: 20, test: 10 }, gzip);
      expect(await codeOf(loadFashionMnist(dir))).toBe(ErrorCode.FILE_INVALID);
    }
  });

  it('rejects a truncated gzip stream with FILE_INVALID', async () => {
    const dir = tempDir();
    writeDataset(dir, { train: 20, test: 10 }, true);
    const gz = gzipSync(idx([60_000, 28, 28], () => 0));
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gz.subarray(0, gz.length - 100));
    expect(await codeOf(loadFashionMnist(dir))).toBe(ErrorCode.FILE_INVALID);
  });

  it.skipIf(!fashionMnistPresent())('loads the installed dataset (Debian dataset-fashion-mnist)', async () => {
    const dataset = await loadDataset('fashion-mnist', DEFAULT_DATASETS_DIR);
    expect([dataset.train.count, dataset.test.count]).toEqual([60_000, 10_000]);
    expect(dataset.train.images.length).toBe(60_000 * 784);
    const perClass = new Array(10).fill(0);
    for (const label of dataset.train.labels) perClass[label]++;
    expect(perClass).toEqual(new Array(10).fill(6000));
    let sum = 0;
    for (const pixel of dataset.train.images) sum += pixel;
    expect(sum / dataset.train.images.length / 255).toBeCloseTo(dataset.mean[0], 3);
  });
});

/** Skips where Debian's dataset-fashion-mnist is missing, except under NASHUB_REQUIRE_DATASETS=1 (CI), where it fails. */
function fashionMnistPresent(): boolean {
  if (existsSync(join(DEFAULT_DATASETS_DIR, 'fashion-mnist'))) return true;
  if (process.env.NASHUB_REQUIRE_DATASETS === '1')
    throw new Error('NASHUB_REQUIRE_DATASETS=1 but dataset-fashion-mnist is not installed');
  return false;
}
