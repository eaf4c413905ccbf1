import { CURVE_COLUMNS, RECORD_COLUMNS, RECORD_COLUMNS_V1, type ReleaseColumn } from './release-columns';

/**
 * Identifies the folder layout and columns of a release; an importer refuses other formats. Format 2 added the
 * records' `origin` and `value_kind` columns and the origins' ids; format 1 releases still import.
 */
export const RELEASE_FORMAT = 'nashub-release/2';

/** The first format: the same files, records without `origin` and `value_kind`. */
export const RELEASE_FORMAT_V1 = 'nashub-release/1';

/** Every format an importer reads. */
export const RELEASE_FORMATS = [RELEASE_FORMAT_V1, RELEASE_FORMAT] as const;
/** One of {@link RELEASE_FORMATS}. */
export type ReleaseFormat = (typeof RELEASE_FORMATS)[number];

/** A release's name or version: a single path segment of letters, digits and `._+-`, never `.` or `..`. */
export const RELEASE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

/** The manifest's file name in a release folder. */
export const MANIFEST_FILE = 'manifest.json';

/** The two tables of a release. */
export const ReleaseTable = { RECORDS: 'records', CURVES: 'curves' } as const;
/** One of {@link ReleaseTable}'s values. */
export type ReleaseTableValue = (typeof ReleaseTable)[keyof typeof ReleaseTable];

/** One data file of a release. */
export interface ReleaseDataFile {
  name: string;
  table: ReleaseTableValue;
  format: 'parquet' | 'csv';
  columns: readonly ReleaseColumn[];
}

/** Every data file of a release, in file-name order (the order of the content hash). */
export const RELEASE_DATA_FILES: readonly ReleaseDataFile[] = [
  { name: 'curves.csv', table: 'curves', format: 'csv', columns: CURVE_COLUMNS },
  { name: 'curves.parquet', table: 'curves', format: 'parquet', columns: CURVE_COLUMNS },
  { name: 'records.csv', table: 'records', format: 'csv', columns: RECORD_COLUMNS },
  { name: 'records.parquet', table: 'records', format: 'parquet', columns: RECORD_COLUMNS },
];

/** Name of a table's data file in a format (`records.parquet`). */
export function releaseFileName(table: ReleaseTableValue, format: 'parquet' | 'csv'): string {
  return `${table}.${format}`;
}

/** The data files of a release of this format, with that format's columns. */
export function releaseDataFiles(format: ReleaseFormat): readonly ReleaseDataFile[] {
  if (format === RELEASE_FORMAT) return RELEASE_DATA_FILES;
  return RELEASE_DATA_FILES.map((file) => (file.table === 'records' ? { ...file, columns: RECORD_COLUMNS_V1 } : file));
}
