import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { ErrorCode, NashubError } from '../../core';
import type { TableReader, TableRow } from './table-reader';

/** Streams a CSV file with a header line (RFC 4180 quoting, UTF-8 BOM tolerated); values stay strings. */
export async function readCsv(path: string, size: number): Promise<TableReader> {
  const stream = createReadStream(path);
  let columns: string[] | undefined;
  const parser = stream.pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      columns: (header: string[]) => {
        columns = header.map((name) => name.trim());
        return columns;
      },
    }),
  );
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: Record<string, string>;
    info: { lines: number };
  }>;
  const first = await next(iterator, path);
  if (!columns)
    throw new NashubError(ErrorCode.FILE_INVALID, `${path} has no header line`, { details: { file: path } });

  async function* rows(): AsyncGenerator<TableRow> {
    let item = first;
    while (!item.done) {
      yield { line: item.value.info.lines, values: item.value.record };
      item = await next(iterator, path);
    }
  }
  return {
    format: 'csv',
    columns,
    rows: rows(),
    progress: () => stream.bytesRead,
    total: size,
    close: async () => void stream.destroy(),
  };
}

async function next<T>(iterator: AsyncIterator<T>, path: string): Promise<IteratorResult<T>> {
  try {
    return await iterator.next();
  } catch (error) {
    const e = error as Error & { lines?: number; code?: string };
    throw new NashubError(
      ErrorCode.FILE_INVALID,
      `${path} is not valid CSV${e.lines ? ` at line ${e.lines}` : ''}: ${e.message}`,
      {
        details: { file: path, line: e.lines, reason: e.code },
        cause: error,
      },
    );
  }
}
