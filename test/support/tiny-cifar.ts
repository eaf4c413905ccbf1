import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../src/core';

/** A tiny CIFAR-10 in binary batches: `records` random images per file, labels cycling 0..9. */
export function writeTinyCifar(dir: string, records: number): void {
  const rng = createRng(11);
  const batch = (): Buffer => {
    const bytes = Buffer.alloc(records * 3073);
    for (let r = 0; r < records; r++) {
      bytes[r * 3073] = r % 10;
      for (let p = 1; p < 3073; p++) bytes[r * 3073 + p] = rng.int(256);
    }
    return bytes;
  };
  for (let i = 1; i <= 5; i++) writeFileSync(join(dir, `data_batch_${i}.bin`), batch());
  writeFileSync(join(dir, 'test_batch.bin'), batch());
}
