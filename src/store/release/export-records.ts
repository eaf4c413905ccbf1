import type { EntityManager } from 'typeorm';
import { METRICS, type MetricName } from '../../core';
import { columnName } from '../column-name';
import { MemorySink } from './byte-sink';
import { queryReleaseProvenance } from './query-release-provenance';
import { queryReleaseRowsById, queryReleaseRunOrder } from './query-release-runs';
import { METRIC_COLUMNS, RECORD_COLUMNS, type ReleaseColumn } from './release-columns';
import type { ReleaseFilter } from './release-manifest';
import { CsvTableWriter } from './write-csv';
import { ParquetTableWriter } from './write-parquet';

/** The formats an export writes: a release's records file's two formats. */
export const ExportFormat = { CSV: 'csv', PARQUET: 'parquet' } as const;
/** One of {@link ExportFormat}'s values. */
export type ExportFormatValue = (typeof ExportFormat)[keyof typeof ExportFormat];

/** Rows read per statement: a page of rows is the most an export holds of the table besides a Parquet row group. */
export const EXPORT_PAGE_ROWS = 10_000;

/** Options of {@link exportRecords}. */
export interface ExportRecordsOptions {
  manager: EntityManager;
  filter: ReleaseFilter;
  /** Metric columns to keep (in the release's column order); null keeps all, as a release writes them. */
  metrics: readonly MetricName[] | null;
  format: ExportFormatValue;
  /** Rows per statement (default {@link EXPORT_PAGE_ROWS}); the bytes do not depend on it. */
  pageRows?: number;
}

/** A release's records columns, less the metric columns not asked for. */
export function exportColumns(metrics: readonly MetricName[] | null): readonly ReleaseColumn[] {
  if (metrics === null) return RECORD_COLUMNS;
  const dropped = new Set(METRICS.filter((m) => !metrics.includes(m)).map(columnName));
  return RECORD_COLUMNS.filter((c) => !(METRIC_COLUMNS.includes(c.name) && dropped.has(c.name)));
}

/**
 * The records table of a release with this filter, as the bytes of its CSV or Parquet file, yielded page by page:
 * the release writer's own code writes them, so they are the bytes `publish` writes for the same rows. One statement
 * reads the runs' order (ids only), then one per page reads their rows: CSV holds one page of rows at a time, Parquet
 * also its row group (100,000 rows, a constant of the format's byte identity). Not one snapshot: a run rewritten
 * between two statements shows its new values.
 */
export async function* exportRecords(options: ExportRecordsOptions): AsyncGenerator<Buffer> {
  const pageRows = options.pageRows ?? EXPORT_PAGE_ROWS;
  const columns = exportColumns(options.metrics);
  const sink = new MemorySink();
  const writer =
    options.format === ExportFormat.CSV ? new CsvTableWriter(sink, columns) : new ParquetTableWriter(sink, columns);
  try {
    const order = await queryReleaseRunOrder(options.manager, options.filter);
    for (let start = 0; start < order.runIds.length; start += pageRows) {
      const end = start + pageRows;
      const runIds = order.runIds.slice(start, end);
      const rows = await queryReleaseRowsById(options.manager, runIds, order.architectureIds.slice(start, end));
      const { originIds } = await queryReleaseProvenance(options.manager, runIds);
      rows.forEach((row, i) => (row.origin = originIds[i]));
      writer.append(rows);
      const bytes = sink.take();
      if (bytes.length > 0) yield bytes;
    }
    if (writer instanceof ParquetTableWriter) writer.finish();
    const rest = sink.take();
    if (rest.length > 0) yield rest;
  } finally {
    writer.close();
  }
}
