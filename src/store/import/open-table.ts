import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { ErrorCode, NashubError } from '../../core';
import { readCsv } from './read-csv';
import { readJsonLines } from './read-jsonl';
import { readParquet } from './read-parquet';
import { TableFormat, type TableFormatValue, type TableReader } from './table-reader';

/** Opens a CSV, JSON-lines or Parquet file (format from `format` or the extension), or throws FILE_INVALID. */
export async function openTable(path: string, format?: string): Promise<TableReader> {
  const resolved = resolveFormat(path, format);
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new NashubError(
      ErrorCode.FILE_INVALID,
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      { details: { file: path }, cause: error },
    );
  }
  if (size === 0)
    throw new NashubError(ErrorCode.FILE_INVALID, `${path} is empty (0 bytes)`, { details: { file: path } });
  switch (resolved) {
    case TableFormat.CSV:
      return readCsv(path, size);
    case TableFormat.JSONL:
      return readJsonLines(path, size);
    case TableFormat.PARQUET:
      return readParquet(path);
  }
}

function resolveFormat(path: string, format: string | undefined): TableFormatValue {
  const candidate = (format ?? extname(path).slice(1)).toLowerCase();
  const alias: Record<string, TableFormatValue> = {
    csv: 'csv',
    jsonl: 'jsonl',
    ndjson: 'jsonl',
    parquet: 'parquet',
    pq: 'parquet',
  };
  const found = alias[candidate];
  if (!found) {
    throw new NashubError(
      ErrorCode.FILE_INVALID,
      `cannot tell the format of ${path}; pass --format csv|jsonl|parquet`,
      { details: { file: path, format: candidate } },
    );
  }
  return found;
}
