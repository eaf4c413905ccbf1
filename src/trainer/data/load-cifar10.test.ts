import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../core';
import { loadCifar10 } from './load-cifar10';

/** `records` CIFAR records: label r % 10, red = r, green = 100 + r, blue = 200 + p % 50. */
function batch(records: number): Buffer {
  const bytes = Buffer.alloc(records * 3073);
  for (let r = 0; r < records; r++) {
    bytes[r * 3073] = r % 10;
    for (let p = 0; p < 1024; p++) {
      bytes[r * 3073 + 1 + p] = r;
      bytes[r * 3073 + 1025 + p] = 100 + r;
      bytes[r * 3073 + 2049 + p] = 200 + (p % 50);
    }
  }
  return bytes;
}

describe('loadCifar10', () => {
  const root = mkdtempSync(join(tmpdir(), 'nashub-cifar-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads binary batches from the cifar-10-batches-bin sub-folder into NHWC', async () => {
    const dir = join(root, 'cifar-10-batches-bin');
    mkdirSync(dir);
    for (let i = 1; i <= 5; i++) writeFileSync(join(dir, `data_batch_${i}.bin`), batch(2));
    writeFileSync(join(dir, 'test_batch.bin'), batch(3));
    const dataset = await loadCifar10(root);
    expect([dataset.train.count, dataset.test.count, dataset.channels, dataset.height]).toEqual([10, 3, 3, 32]);
    expect([...dataset.test.labels]).toEqual([0, 1, 2]);
    const image = 2 * 32 * 32 * 3;
    expect([...dataset.test.images.subarray(image, image + 6)]).toEqual([2, 102, 200, 2, 102, 201]);

    writeFileSync(join(dir, 'test_batch.bin'), batch(3).subarray(0, 3 * 3073 - 5));
    const error = await loadCifar10(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NashubError);
    expect((error as NashubError).code).toBe(ErrorCode.FILE_INVALID);
  });
});
