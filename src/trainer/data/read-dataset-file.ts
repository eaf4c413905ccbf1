import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { ErrorCode, NashubError } from '../../core';

const gunzipAsync = promisify(gunzip);

/** Reads a file, gunzipping it when it starts with the gzip magic; a corrupt or truncated gzip stream is FILE_INVALID. */
export async function readDatasetFile(path: string): Promise<Uint8Array> {
  const bytes = await readFile(path);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b)
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const inflated = await gunzipAsync(bytes);
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    throw new NashubError(
      ErrorCode.FILE_INVALID,
      `${path} is not a valid gzip file: ${error instanceof Error ? error.message : String(error)}`,
      {
        details: { file: path },
        cause: error,
      },
    );
  }
}
