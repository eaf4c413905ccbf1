import { join } from 'node:path';
import type { ReleaseColumn, ReleaseRow } from './release-columns';
import { releaseFileName, type ReleaseTableValue } from './release-files';
import { CsvTableWriter } from './write-csv';
import { ParquetTableWriter } from './write-parquet';

/** Writes one release table as `<table>.parquet` and `<table>.csv` side by side, from the same rows. */
export class ReleaseTableWriter {
  private readonly parquet: ParquetTableWriter;
  private readonly csv: CsvTableWriter;

  constructor(dir: string, table: ReleaseTableValue, columns: readonly ReleaseColumn[]) {
    this.parquet = new ParquetTableWriter(join(dir, releaseFileName(table, 'parquet')), columns);
    this.csv = new CsvTableWriter(join(dir, releaseFileName(table, 'csv')), columns);
  }

  /** Data rows written so far. */
  get rows(): number {
    return this.parquet.rows;
  }

  /** Appends rows to both files. */
  append(rows: readonly ReleaseRow[]): void {
    this.parquet.append(rows);
    this.csv.append(rows);
  }

  /** Completes both files. */
  finish(): void {
    this.parquet.finish();
    this.csv.close();
  }

  /** Closes both files after a failure; safe to call after `finish`. */
  close(): void {
    this.parquet.close();
    this.csv.close();
  }
}
