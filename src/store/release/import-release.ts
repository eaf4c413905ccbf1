import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ErrorCode, NashubError } from '../../core';
import { importFile, type ImportProgress, type ImportResult } from '../import';
import { releaseFileName, ReleaseTable } from './release-files';
import { releaseMapping } from './release-mapping';
import { verifyRelease } from './verify-release';
import { attachReleaseOrigins } from './attach-release-origins';
import { insertReleaseRow } from './record-release';
import { analyzeTables } from '../analyze-tables';
import { rollbackAfter } from '../rollback-after';

/** Options of {@link importRelease}. */
export interface ImportReleaseOptions {
  dataSource: DataSource;
  /** The release folder (manifest.json and its data files). */
  dir: string;
  /** Overwrite stored values the release changes. */
  replace: boolean;
  /**
   * Record the release (a `release` row, in the same transaction) and put its folder in place before the commit;
   * `unplace` undoes `place` when the commit fails. Absent: the import records no release.
   */
  record?: { place(): void; unplace(): void };
  /** Progress of each file import. */
  onProgress?: (progress: ImportProgress & { file: string; space: string }) => void;
}

/** What a release import did, file by file (one import per space and table). */
export interface ImportReleaseResult {
  status: ImportResult['status'];
  name: string;
  version: string;
  contentSha256: string;
  files: Array<ImportResult & { space: string }>;
}

/**
 * Imports a release folder into the store: verifies every file against the manifest first (RELEASE_INVALID, nothing
 * written), then imports records.parquet and curves.parquet per space through importFile, all in one transaction. The
 * runs it adds keep the origins the release names (format 2).
 */
export async function importRelease(options: ImportReleaseOptions): Promise<ImportReleaseResult> {
  const { manifest, spaces, origins } = await verifyRelease(options.dir);
  const files: ImportReleaseResult['files'] = [];
  const runner = options.dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    for (const table of [ReleaseTable.RECORDS, ReleaseTable.CURVES]) {
      const name = releaseFileName(table, 'parquet');
      const file = join(options.dir, name);
      if (manifest.files[name].rows === 0) continue;
      const results: ImportResult[] = [];
      for (const space of spaces) {
        const result = await importFile({
          dataSource: options.dataSource,
          queryRunner: runner,
          space,
          file,
          format: 'parquet',
          mapping: releaseMapping({ table, space, protocols: manifest.protocols }),
          replace: options.replace,
          onProgress: options.onProgress && ((progress) => options.onProgress!({ ...progress, file: name, space })),
        });
        results.push(result);
        // A space with no rows in this table (no curves, say) read the file and took nothing: not worth reporting.
        if (result.rowsSkipped !== result.rowsRead) files.push({ ...result, space });
      }
      checkEveryRowRead(name, manifest.files[name].rows, results);
      if (table === ReleaseTable.RECORDS && origins) {
        const batchIds = results.flatMap((r) => (r.status === 'IMPORTED' && r.batchId !== null ? [r.batchId] : []));
        await attachReleaseOrigins(runner.manager, { manifest, rows: origins, batchIds });
      }
    }
    let placed = false;
    if (options.record && (await insertReleaseRow(runner.manager, manifest))) {
      options.record.place();
      placed = true;
    }
    try {
      await runner.commitTransaction();
    } catch (error) {
      if (placed) options.record!.unplace();
      throw error;
    }
    await analyzeTables(runner.manager);
  } catch (error) {
    throw await rollbackAfter(runner, error);
  } finally {
    await runner.release();
  }
  const status = files.some((f) => f.status === 'IMPORTED')
    ? 'IMPORTED'
    : files.every((f) => f.status === 'ALREADY_IMPORTED')
      ? 'ALREADY_IMPORTED'
      : 'NOTHING_NEW';
  return { status, name: manifest.name, version: manifest.version, contentSha256: manifest.contentSha256, files };
}

/** Rows of a space without records would be skipped by every per-space import: refuse the release instead. */
function checkEveryRowRead(name: string, rows: number, results: readonly ImportResult[]): void {
  if (results.some((r) => r.rowsSkipped === undefined)) return;
  const read = results.reduce((sum, r) => sum + r.rowsRead - r.rowsSkipped!, 0);
  if (read !== rows) {
    throw new NashubError(
      ErrorCode.RELEASE_INVALID,
      `${name}: ${rows - read} of ${rows} rows belong to no search space of records.parquet; nothing was imported`,
      {
        details: { file: name, reason: 'rows' },
      },
    );
  }
}
