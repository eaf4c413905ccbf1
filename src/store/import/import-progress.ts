/** Where an import stands, for progress bars and JSON-lines logs. */
export interface ImportProgress {
  phase: 'read' | 'merge' | 'done';
  rows: number;
  /** Progress and total in the reader's unit (bytes, or rows for Parquet). */
  done: number;
  total: number;
}
