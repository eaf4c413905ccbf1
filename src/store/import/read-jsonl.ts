import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ErrorCode, NashubError } from '../../core';
import type { TableReader, TableRow } from './table-reader';

/**
 * Streams a JSON-lines file: one object per line, blank lines skipped, a UTF-8 BOM tolerated. A line that is not a
 * JSON object becomes a row whose values carry the parse error, so the import reports it with its line number.
 */
export async function readJsonLines(path: string, size: number): Promise<TableReader> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity })[Symbol.asyncIterator]();
  let lineNo = 0;

  const nextRow = async (): Promise<TableRow | undefined> => {
    for (;;) {
      const item = await lines.next();
      if (item.done) return undefined;
      lineNo += 1;
      const text = (lineNo === 1 ? item.value.replace(/^\uFEFF/, '') : item.value).trim();
      if (!text) continue;
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          return { line: lineNo, values: { [PARSE_ERROR]: 'line is not a JSON object' } };
        }
        return { line: lineNo, values: value as Record<string, unknown> };
      } catch (error) {
        return { line: lineNo, values: { [PARSE_ERROR]: `invalid JSON: ${(error as Error).message}` } };
      }
    }
  };

  const first = await nextRow();
  if (!first) throw new NashubError(ErrorCode.FILE_INVALID, `${path} holds no JSON lines`, { details: { file: path } });
  if (PARSE_ERROR in first.values) {
    throw new NashubError(ErrorCode.FILE_INVALID, `${path} line ${first.line}: ${first.values[PARSE_ERROR]}`, {
      details: { file: path, line: first.line },
    });
  }

  async function* rows(): AsyncGenerator<TableRow> {
    let row: TableRow | undefined = first;
    while (row) {
      yield row;
      row = await nextRow();
    }
  }
  return {
    format: 'jsonl',
    columns: Object.keys(first.values),
    rows: rows(),
    progress: () => stream.bytesRead,
    total: size,
    close: async () => void stream.destroy(),
  };
}

/** Key under which a row carries its own parse error. */
export const PARSE_ERROR = '\u0000parseError';
