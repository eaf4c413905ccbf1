import { writeSync } from 'node:fs';

/** Writes all of `bytes` at the file's current position (`writeSync` may write less than asked). */
export function writeAll(fd: number, bytes: Uint8Array | string): void {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  let done = 0;
  while (done < buffer.byteLength) done += writeSync(fd, buffer, done, buffer.byteLength - done);
}
