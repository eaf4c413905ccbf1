import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type FileMetaData } from 'hyparquet';
import { ErrorCode, NashubError } from '../../core';
import { fileBuffer, type FileBuffer } from './parquet-file-buffer';
import type { TableReader, TableRow } from './table-reader';

const CHUNK_ROWS = 10_000;

/** Reads a Parquet file in row chunks; a truncated or corrupt file is FILE_INVALID before any row is read. */
export async function readParquet(path: string): Promise<TableReader> {
  let file: FileBuffer | undefined;
  let metadata: FileMetaData;
  try {
    file = await fileBuffer(path);
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    await file?.close();
    throw new NashubError(
      ErrorCode.FILE_INVALID,
      `${path} is not a readable Parquet file (truncated or corrupt?): ${(error as Error).message}`,
      {
        details: { file: path },
        cause: error,
      },
    );
  }
  const total = Number(metadata.num_rows);
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  let done = 0;

  async function* rows(): AsyncGenerator<TableRow> {
    for (let start = 0; start < total; start += CHUNK_ROWS) {
      let objects: Record<string, unknown>[];
      try {
        objects = await parquetReadObjects({
          file: file!,
          metadata,
          rowStart: start,
          rowEnd: Math.min(total, start + CHUNK_ROWS),
        });
      } catch (error) {
        throw new NashubError(
          ErrorCode.FILE_INVALID,
          `${path} rows ${start + 1}+ cannot be decoded: ${(error as Error).message}`,
          {
            details: { file: path, line: start + 1 },
            cause: error,
          },
        );
      }
      for (const [i, values] of objects.entries()) {
        done = start + i + 1;
        yield { line: done, values };
      }
    }
  }
  return { format: 'parquet', columns, rows: rows(), progress: () => done, total, close: () => file!.close() };
}
