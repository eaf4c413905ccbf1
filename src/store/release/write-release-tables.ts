import type { DataSource, EntityManager } from 'typeorm';
import { ErrorCode, NashubError, checkName, echoName } from '../../core';
import { RUNS_PER_QUERY, queryReleaseCurves } from './query-release-curves';
import { queryReleaseProvenance } from './query-release-provenance';
import type { ReleaseProvenance } from './release-origin';
import { queryReleaseProtocols, queryReleaseRuns } from './query-release-runs';
import { CURVE_COLUMNS, RECORD_COLUMNS } from './release-columns';
import { ReleaseTable } from './release-files';
import type { ReleaseFilter, ReleaseProtocol } from './release-manifest';
import { ReleaseTableWriter } from './write-release-table';
import { rollbackAfter } from '../rollback-after';

/** Options of {@link writeReleaseTables}. */
export interface WriteReleaseTablesOptions {
  dataSource: DataSource;
  /** An empty folder to write the four data files into. */
  dir: string;
  filter: ReleaseFilter;
  /** Runs written so far, of all the release's runs, as records and then as curves. */
  onProgress?(progress: { phase: 'records' | 'curves'; done: number; total: number }): void;
}

/** What the data files hold. */
export interface ReleaseTablesSummary {
  records: number;
  curves: number;
  protocols: ReleaseProtocol[];
  provenance: ReleaseProvenance;
}

/**
 * Writes records and curves (Parquet and CSV each) from one read-only REPEATABLE READ snapshot, so runs and curves
 * agree even while imports or trainers write. Records are held in memory (one row per run); curves are streamed.
 */
export async function writeReleaseTables(options: WriteReleaseTablesOptions): Promise<ReleaseTablesSummary> {
  const runner = options.dataSource.createQueryRunner();
  const writers: ReleaseTableWriter[] = [];
  try {
    await runner.connect();
    await runner.startTransaction('REPEATABLE READ');
    await runner.query('SET TRANSACTION READ ONLY');
    const manager = runner.manager;
    await checkFilter(manager, options.filter);
    const runs = await queryReleaseRuns(manager, options.filter);
    if (runs.length === 0) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'no complete run matches the filters; nothing to publish', {
        details: { filter: options.filter },
      });
    }
    const protocols = await queryReleaseProtocols(manager, [...new Set(runs.map((run) => String(run.row.protocol)))]);
    const { originIds, provenance } = await queryReleaseProvenance(
      manager,
      runs.map((run) => run.runId),
    );
    runs.forEach((run, i) => (run.row.origin = originIds[i]));

    const records = new ReleaseTableWriter(options.dir, ReleaseTable.RECORDS, RECORD_COLUMNS);
    writers.push(records);
    records.append(runs.map((run) => run.row));
    records.finish();
    options.onProgress?.({ phase: 'records', done: runs.length, total: runs.length });
    const curves = new ReleaseTableWriter(options.dir, ReleaseTable.CURVES, CURVE_COLUMNS);
    writers.push(curves);
    let chunks = 0;
    for await (const chunk of queryReleaseCurves(manager, runs)) {
      curves.append(chunk);
      chunks += 1;
      const done = Math.min(chunks * RUNS_PER_QUERY, runs.length);
      options.onProgress?.({ phase: 'curves', done, total: runs.length });
    }
    curves.finish();
    await runner.commitTransaction();
    return { records: records.rows, curves: curves.rows, protocols, provenance };
  } catch (error) {
    throw await rollbackAfter(runner, error);
  } finally {
    for (const writer of writers) writer.close();
    await runner.release();
  }
}

/** A dataset or protocol filter must name a stored one (a typo would otherwise publish nothing, or fail vaguely). */
async function checkFilter(manager: EntityManager, filter: ReleaseFilter): Promise<void> {
  const checks = [
    { value: filter.dataset, table: 'dataset', code: ErrorCode.UNKNOWN_DATASET },
    { value: filter.protocol, table: 'protocol', code: ErrorCode.UNKNOWN_PROTOCOL },
  ] as const;
  for (const { value, table, code } of checks) {
    if (value === null) continue;
    checkName(value, { field: `--${table}` });
    const rows: unknown[] = await manager.query(`SELECT 1 FROM ${table} WHERE name = $1`, [value]);
    if (rows.length === 0)
      throw new NashubError(code, `no ${table} named "${echoName(value)}" in the store`, {
        details: { [table]: echoName(value) },
      });
  }
}
