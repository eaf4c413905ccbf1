import { closeSync, openSync } from 'node:fs';
import { ByteWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { ReleaseColumn, ReleaseRow } from './release-columns';
import { writeAll } from './write-all';

/** Rows per Parquet row group: a constant, so the same rows always give the same bytes however they arrive. */
const ROW_GROUP_ROWS = 100_000;

/**
 * Writes a Parquet file row group by row group, holding at most one group in memory. The bytes depend only on the
 * rows: hyparquet-writer embeds no time, and `created_by` is the constant "nashub".
 */
export class ParquetTableWriter {
  private readonly fd: number;
  private readonly parquet: ParquetWriter;
  private pending: unknown[][];
  private pendingRows = 0;
  private closed = false;
  /** Data rows appended so far. */
  rows = 0;

  constructor(
    path: string,
    private readonly columns: readonly ReleaseColumn[],
  ) {
    this.fd = openSync(path, 'wx');
    const schema = schemaFromColumnData({
      columnData: columns.map(({ name, type, nullable }) => ({ name, type, nullable, data: [] })),
    });
    this.parquet = new ParquetWriter({ writer: fileByteWriter(this.fd), schema, createdBy: 'nashub' });
    this.pending = columns.map(() => []);
  }

  /** Appends rows; every full row group is encoded and written. */
  append(rows: readonly ReleaseRow[]): void {
    for (const row of rows) {
      this.columns.forEach((column, i) => this.pending[i].push(row[column.name] ?? null));
      this.pendingRows += 1;
      if (this.pendingRows === ROW_GROUP_ROWS) this.writeGroup();
    }
    this.rows += rows.length;
  }

  /** Writes the last row group and the footer, and closes the file. */
  finish(): void {
    if (this.pendingRows > 0) this.writeGroup();
    void this.parquet.finish();
    this.close();
  }

  /** Closes the file without finishing it (after a failure); safe to call twice. */
  close(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }

  private writeGroup(): void {
    const columnData = this.columns.map(({ name, statistics }, i) => ({ name, data: this.pending[i], statistics }));
    void this.parquet.write({ columnData, rowGroupSize: ROW_GROUP_ROWS });
    this.pending = this.columns.map(() => []);
    this.pendingRows = 0;
  }
}

/** hyparquet-writer's in-memory writer, emptied into the file after every row group (it calls `flush`). */
function fileByteWriter(fd: number): ByteWriter {
  const writer = new ByteWriter();
  const flush = () => {
    writeAll(fd, new Uint8Array(writer.buffer, 0, writer.index));
    writer.index = 0;
  };
  return Object.assign(writer, { flush, finish: flush });
}
