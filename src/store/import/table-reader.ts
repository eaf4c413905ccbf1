/** One data row of a table, with where it came from. */
export interface TableRow {
  /** 1-based line number in the file (the header is line 1 in CSV); row number for Parquet. */
  line: number;
  values: Record<string, unknown>;
}

/** File formats `nashub import` reads. */
export const TableFormat = { CSV: 'csv', JSONL: 'jsonl', PARQUET: 'parquet' } as const;
/** One of {@link TableFormat}'s values. */
export type TableFormatValue = (typeof TableFormat)[keyof typeof TableFormat];

/** An opened table: its columns, then its rows, streamed. */
export interface TableReader {
  format: TableFormatValue;
  /** Header of the table (CSV, Parquet) or keys of the first record (JSON lines). */
  columns: string[];
  rows: AsyncIterable<TableRow>;
  /** Progress so far, in the unit of `total`. */
  progress(): number;
  /** Bytes of the file (CSV, JSON lines) or rows (Parquet). */
  total: number;
  /** Releases the file; safe to call twice. */
  close(): Promise<void>;
}
