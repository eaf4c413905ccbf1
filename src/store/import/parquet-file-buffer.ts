import { open } from 'node:fs/promises';
import type { AsyncBuffer } from 'hyparquet';

/**
 * Random access to a local file for hyparquet. (Its own `asyncBufferFromFile` sits behind a `node` export condition
 * that our CommonJS type resolution does not see.)
 */
export interface FileBuffer extends AsyncBuffer {
  close(): Promise<void>;
}

/** Opens a file for {@link FileBuffer} reads; close it when done. */
export async function fileBuffer(path: string): Promise<FileBuffer> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  let closed = false;
  return {
    byteLength: size,
    close: async () => {
      if (!closed) await handle.close();
      closed = true;
    },
    async slice(start: number, end: number = size): Promise<ArrayBuffer> {
      const bytes = new Uint8Array(Math.max(0, end - start));
      await handle.read(bytes, 0, bytes.length, start);
      return bytes.buffer;
    },
  };
}
