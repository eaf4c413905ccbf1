import type { EntityManager } from 'typeorm';
import { METRICS, type MetricName } from '../../core';
import { columnName } from '../column-name';
import { MemorySink } from './byte-sink';
import { queryReleaseProvenance } from './query-release-provenance';
import {
  queryReleaseMeanPage,
  queryReleaseRowsById,
  queryReleaseRunOrder,
  type ReleaseMeanCursor,
} from './query-release-runs';
import { RECORD_COLUMNS, type ReleaseColumn, type ReleaseRow } from './release-columns';
import type { ReleaseFilter } from './release-manifest';
import { CsvTableWriter } from './write-csv';
import { ParquetTableWriter } from './write-parquet';

/** The formats an export writes: a release's records file's two formats. */
export const ExportFormat = { CSV: 'csv', PARQUET: 'parquet' } as const;
/** One of {@link ExportFormat}'s values. */
export type ExportFormatValue = (typeof ExportFormat)[keyof typeof ExportFormat];

/**
 * Which rows an export holds: `MEAN`, one row per (architecture, dataset, protocol) with `record`'s seed mean (the
 * default: what a NAS-Bench user reads a benchmark table as); `ALL`, every complete run, seeds and published means, as
 * a release's records file holds them (the bytes `publish` writes).
 */
export const ExportSeeds = { MEAN: 'MEAN', ALL: 'ALL' } as const;
/** One of {@link ExportSeeds}' values. */
export type ExportSeedsValue = (typeof ExportSeeds)[keyof typeof ExportSeeds];

/**
 * Rows read per statement: two pages of rows (one read ahead) are the most an export holds of the table besides a
 * Parquet row group. Every seed-mean page's statement joins and sorts all the filter's rows (the keyset condition
 * only drops the ones before it), so a page holds a whole NB201 dataset-protocol table (15,625 rows): one statement
 * a file instead of two made the cold exports of its four tables 20-30 % faster
 * (docs/results/2026-12-06-export-speed.md).
 */
export const EXPORT_PAGE_ROWS = 20_000;

/** Options of {@link exportRecords}. */
export interface ExportRecordsOptions {
  manager: EntityManager;
  filter: ReleaseFilter;
  /** Metric columns to keep (in the release's column order); null keeps all, as a release writes them. */
  metrics: readonly MetricName[] | null;
  format: ExportFormatValue;
  /** Seed means or every run. */
  seeds: ExportSeedsValue;
  /** Rows per statement (default {@link EXPORT_PAGE_ROWS}); the bytes do not depend on it. */
  pageRows?: number;
}

/**
 * A release's records columns, less the metric columns not asked for, and less `origin` for seed means: a mean over
 * seeds may average runs of several origins (imports, trainers), so no one origin describes its row.
 */
export function exportColumns(
  metrics: readonly MetricName[] | null,
  seeds: ExportSeedsValue,
): readonly ReleaseColumn[] {
  const dropped = new Set(METRICS.filter((m) => metrics !== null && !metrics.includes(m)).map(columnName));
  if (seeds === ExportSeeds.MEAN) dropped.add('origin');
  return RECORD_COLUMNS.filter((c) => !dropped.has(c.name));
}

/**
 * The records table of a release with this filter (`seeds` ALL), or its seed means (MEAN), as the bytes of a CSV or
 * Parquet file, yielded page by page: the release writer's own code writes them, so ALL gives the bytes `publish`
 * writes for the same rows. ALL: one statement reads the order (ids only), then one per page reads the rows; MEAN: one
 * statement per page, keyed by the last row before it. The next page is read while this one is written: CSV holds two
 * pages of rows at a time, Parquet also its row group (100,000 rows, a
 * constant of the format's byte identity). Not one snapshot: a run rewritten between two statements shows its new
 * values.
 */
export async function* exportRecords(options: ExportRecordsOptions): AsyncGenerator<Buffer> {
  const pageRows = options.pageRows ?? EXPORT_PAGE_ROWS;
  const columns = exportColumns(options.metrics, options.seeds);
  const sink = new MemorySink();
  const writer =
    options.format === ExportFormat.CSV ? new CsvTableWriter(sink, columns) : new ParquetTableWriter(sink, columns);
  try {
    for await (const rows of readPages(options, columns, pageRows)) {
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

/** The export's rows, a page (one statement) at a time. */
async function* readPages(
  options: ExportRecordsOptions,
  columns: readonly ReleaseColumn[],
  pageRows: number,
): AsyncGenerator<ReleaseRow[]> {
  const { manager, filter } = options;
  if (options.seeds === ExportSeeds.MEAN) {
    yield* readMeanPages(manager, filter, columns, pageRows);
    return;
  }
  const pages: Array<() => Promise<ReleaseRow[]>> = [];
  const order = await queryReleaseRunOrder(manager, filter);
  for (let start = 0; start < order.runIds.length; start += pageRows) {
    const end = start + pageRows;
    const runIds = order.runIds.slice(start, end);
    pages.push(async () => {
      const rows = await queryReleaseRowsById(manager, runIds, order.architectureIds.slice(start, end));
      const { originIds } = await queryReleaseProvenance(manager, runIds);
      rows.forEach((row, i) => (row.origin = originIds[i]));
      return rows;
    });
  }
  yield* readAhead(pages);
}

/**
 * The seed-mean rows, `pageRows` a statement, each page keyed by the last row of the one before; the next page is
 * read while this one is encoded and sent, as {@link readAhead} does for runs.
 */
async function* readMeanPages(
  manager: EntityManager,
  filter: ReleaseFilter,
  columns: readonly ReleaseColumn[],
  pageRows: number,
): AsyncGenerator<ReleaseRow[]> {
  const names = columns.map((c) => c.name);
  const read = (after: ReleaseMeanCursor | null): Promise<ReleaseRow[]> => {
    const page = queryReleaseMeanPage(manager, { filter, columns: names, after, limit: pageRows });
    // Marked handled for the case where the reader stops first and never awaits it; awaiting it still throws.
    page.catch(() => undefined);
    return page;
  };
  let next: Promise<ReleaseRow[]> | undefined = read(null);
  while (next !== undefined) {
    const rows: ReleaseRow[] = await next;
    const last = rows[rows.length - 1];
    next =
      rows.length < pageRows
        ? undefined
        : read({
            space: String(last.space),
            archId: String(last.arch_id),
            dataset: String(last.dataset),
            protocol: String(last.protocol),
          });
    if (rows.length > 0) yield rows;
  }
}

/**
 * Runs each page's statements while the previous page is encoded and sent, so the database and the encoder work at
 * the same time (an export waited on the database for most of its time): at most two pages are held.
 */
async function* readAhead<T>(pages: ReadonlyArray<() => Promise<T>>): AsyncGenerator<T> {
  const start = (i: number): Promise<T> | undefined => {
    if (i >= pages.length) return undefined;
    const page = pages[i]();
    // Marked handled for the case where the reader stops first and never awaits it; awaiting it still throws.
    page.catch(() => undefined);
    return page;
  };
  let next = start(0);
  for (let i = 0; next !== undefined; i += 1) {
    const page = await next;
    next = start(i + 1);
    yield page;
  }
}
