import { ByteWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { ReleaseColumn, ReleaseRow } from './release-columns';
import { fileSink, type ByteSink } from './byte-sink';

/** Rows per Parquet row group: a constant, so the same rows always give the same bytes however they arrive. */
const ROW_GROUP_ROWS = 100_000;

/**
 * Writes a Parquet file (or stream) row group by row group, holding at most one group in memory. The bytes depend only on the
 * rows: hyparquet-writer embeds no time, and `created_by` is the constant "nashub".
 */
export class ParquetTableWriter {
  private readonly sink: ByteSink;
  private readonly parquet: ParquetWriter;
  private pending: unknown[][];
  private pendingRows = 0;
  /** Data rows appended so far. */
  rows = 0;

  /** Writes to a new file at `target` (a path), or into a sink. */
  constructor(
    target: string | ByteSink,
    private readonly columns: readonly ReleaseColumn[],
  ) {
    this.sink = typeof target === 'string' ? fileSink(target) : target;
    const schema = schemaFromColumnData({
      columnData: columns.map(({ name, type, nullable }) => ({ name, type, nullable, data: [] })),
    });
    this.parquet = new ParquetWriter({ writer: sinkByteWriter(this.sink), schema, createdBy: 'nashub' });
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

  /** Closes the file (or sink) without finishing it (after a failure); safe to call twice. */
  close(): void {
    this.sink.close();
  }

  private writeGroup(): void {
    const columnData = this.columns.map(({ name, statistics }, i) => ({ name, data: this.pending[i], statistics }));
    void this.parquet.write({ columnData, rowGroupSize: ROW_GROUP_ROWS });
    this.pending = this.columns.map(() => []);
    this.pendingRows = 0;
  }
}

/** hyparquet-writer's in-memory writer, emptied into the sink after every row group (it calls `flush`). */
function sinkByteWriter(sink: ByteSink): ByteWriter {
  const writer = new ByteWriter();
  const flush = () => {
    sink.write(new Uint8Array(writer.buffer, 0, writer.index));
    writer.index = 0;
  };
  return Object.assign(writer, { flush, finish: flush });
}
