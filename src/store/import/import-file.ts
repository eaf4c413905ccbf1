import { basename } from 'node:path';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { ErrorCode, NashubError, asDiskFull, getSpace } from '../../core';
import { markPredictorsStaleForImport } from '../predictor/predictor-repository';
import { BAD_ROW_REPORT_LIMIT, type BadRow } from './bad-row';
import { fileSha256, jsonSha256 } from './file-sha256';
import { mappedColumns, type ImportMapping } from './import-mapping';
import type { ImportProgress } from './import-progress';
import { findStagedBadRows, mergeStage, type MergeCounts } from './merge-stage';
import type { Observation } from './observation';
import { openTable } from './open-table';
import { RowError } from './row-error';
import { createRowFilter } from './row-filter';
import { createRowNormalizer } from './row-normalizer';
import { appendToStage, createStageTable } from './stage-table';
import { upsertProtocols } from './upsert-protocols';
import { analyzeTables } from '../analyze-tables';
import { rollbackAfter } from '../rollback-after';

/** Options of {@link importFile}. */
export interface ImportFileOptions {
  dataSource: DataSource;
  /**
   * Import inside this connected runner's open transaction (under a savepoint) instead of a transaction of its own;
   * the caller commits or rolls back the whole. A release imports its files this way, all or nothing.
   */
  queryRunner?: QueryRunner;
  /** Search space of the file's architectures. */
  space: string;
  file: string;
  /** csv | jsonl | parquet; default from the extension. */
  format?: string;
  /** A checked mapping (`resolveMapping`). */
  mapping: ImportMapping;
  /** Overwrite stored values the file changes. */
  replace: boolean;
  /** Called every few thousand rows and at each phase change. */
  onProgress?: (progress: ImportProgress) => void;
}

/** What an import did. */
export interface ImportResult extends Partial<MergeCounts> {
  status: 'IMPORTED' | 'ALREADY_IMPORTED' | 'NOTHING_NEW';
  file: string;
  sha256: string;
  batchId: number | null;
  rowsRead: number;
  /** Rows the mapping's `where` left out (absent when the file was imported before and not read again). */
  rowsSkipped?: number;
}

const CHUNK = 5_000;

/**
 * Imports a whole file in one transaction, or nothing: any bad row rejects the file with the first
 * {@link BAD_ROW_REPORT_LIMIT} bad rows by line. The same bytes with the same mapping import once.
 */
export async function importFile(options: ImportFileOptions): Promise<ImportResult> {
  const space = getSpace(options.space);
  const sha256 = await fileSha256(options.file);
  const mappingSha256 = jsonSha256(options.mapping);
  const base = { file: options.file, sha256 };
  const outer = options.queryRunner;
  const previous = await findBatch((outer ?? options.dataSource).manager, sha256, mappingSha256);
  if (previous) return { ...base, status: 'ALREADY_IMPORTED', batchId: previous.id, rowsRead: previous.rows_read };

  const table = await openTable(options.file, options.format);
  const runner = outer ?? options.dataSource.createQueryRunner();
  // Ours to end: a transaction, or with an outer runner a savepoint, so NOTHING_NEW and errors undo only this file.
  let open = false;
  try {
    checkColumns(options.mapping, table.columns);
    if (!outer) await runner.connect();
    await runner.startTransaction();
    open = true;
    const manager = runner.manager;
    const protocolEpochs = await upsertProtocols(manager, options.mapping.protocols ?? {});
    const normalize = createRowNormalizer({ space, mapping: options.mapping, columns: table.columns, protocolEpochs });
    const selected = createRowFilter(options.mapping.where);
    await createStageTable(manager);

    const bad: BadRow[] = [];
    let badTotal = 0;
    let rowsRead = 0;
    let rowsSkipped = 0;
    let chunk: Observation[] = [];
    const report = (phase: ImportProgress['phase']) =>
      options.onProgress?.({ phase, rows: rowsRead, done: table.progress(), total: table.total });
    for await (const row of table.rows) {
      rowsRead += 1;
      if (selected && !selected(row.values)) {
        rowsSkipped += 1;
        continue;
      }
      try {
        const observations = normalize(row);
        if (badTotal === 0) chunk.push(...observations);
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        badTotal += 1;
        if (bad.length < BAD_ROW_REPORT_LIMIT) bad.push({ line: row.line, reason: error.message });
        chunk = [];
      }
      if (chunk.length >= CHUNK) {
        await appendToStage(manager, chunk);
        chunk = [];
      }
      if (rowsRead % CHUNK === 0) report('read');
    }
    await appendToStage(manager, chunk);
    if (rowsRead === 0)
      throw new NashubError(ErrorCode.FILE_INVALID, `${options.file} has a header but no rows`, {
        details: { file: options.file },
      });
    if (badTotal === 0) {
      const staged = await findStagedBadRows(manager, space.name);
      bad.push(...staged.rows);
      badTotal = staged.total;
    }
    if (badTotal > 0) throw rejected(options.file, bad, badTotal);

    report('merge');
    const batchId = await insertBatch(manager, { ...options, sha256, mappingSha256, rowsRead });
    const counts = await mergeStage(manager, { space: space.name, replace: options.replace, batchId });
    const changed =
      counts.runsAdded + counts.runsUpdated + counts.epochsAdded + counts.epochsUpdated + counts.architecturesAdded;
    if (changed === 0) {
      await runner.rollbackTransaction();
      open = false;
      report('done');
      return { ...base, status: 'NOTHING_NEW', batchId: null, rowsRead, rowsSkipped, ...counts };
    }
    await manager.query(
      `UPDATE import_batch SET runs_added = $2, runs_updated = $3, epochs_added = $4, architectures_added = $5 WHERE id = $1`,
      [
        batchId,
        counts.runsAdded,
        counts.runsUpdated + counts.epochsUpdated,
        counts.epochsAdded,
        counts.architecturesAdded,
      ],
    );
    await markPredictorsStaleForImport(manager, space.name);
    await runner.commitTransaction();
    open = false;
    if (!outer) await analyzeTables(manager);
    report('done');
    return { ...base, status: 'IMPORTED', batchId, rowsRead, rowsSkipped, ...counts };
  } catch (error) {
    throw open ? await rollbackAfter(runner, error) : (asDiskFull(error) ?? error);
  } finally {
    await table.close();
    if (!outer) await runner.release();
  }
}

function checkColumns(mapping: ImportMapping, columns: string[]): void {
  const present = new Set(columns);
  for (const { field, column } of mappedColumns(mapping)) {
    if (!present.has(column)) {
      throw new NashubError(
        ErrorCode.MAPPING_INVALID,
        `mapping field ${field} names column "${column}", which the file does not have (columns: ${columns.slice(0, 30).join(', ')})`,
        {
          details: { field, column },
        },
      );
    }
  }
  for (const [i, rule] of (mapping.wide ?? []).entries()) {
    const pattern = new RegExp(`^(?:${rule.pattern})$`);
    if (!columns.some((c) => pattern.test(c))) {
      throw new NashubError(
        ErrorCode.MAPPING_INVALID,
        `mapping field wide[${i}].pattern matches no column of the file`,
        { details: { field: `wide[${i}].pattern` } },
      );
    }
  }
}

function rejected(file: string, rows: BadRow[], total: number): NashubError {
  const first = rows.map((r) => `line ${r.line}: ${r.reason}`).join('; ');
  return new NashubError(
    ErrorCode.IMPORT_REJECTED,
    `${basename(file)}: ${total} bad row(s), nothing was written. ${first}`,
    {
      details: { badRows: total, rows },
    },
  );
}

async function findBatch(
  manager: EntityManager,
  sha256: string,
  mappingSha256: string,
): Promise<{ id: number; rows_read: number } | undefined> {
  const rows: Array<{ id: number; rows_read: number }> = await manager.query(
    'SELECT id, rows_read FROM import_batch WHERE sha256 = $1 AND mapping_sha256 = $2',
    [sha256, mappingSha256],
  );
  return rows[0];
}

async function insertBatch(
  manager: EntityManager,
  batch: ImportFileOptions & { sha256: string; mappingSha256: string; rowsRead: number },
): Promise<number> {
  const rows: Array<{ id: number }> = await manager.query(
    `INSERT INTO import_batch (file_name, sha256, mapping, mapping_sha256, space, rows_read, runs_added, runs_updated, epochs_added, architectures_added, replaced)
     VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, 0, $7) RETURNING id`,
    [
      basename(batch.file),
      batch.sha256,
      JSON.stringify(batch.mapping),
      batch.mappingSha256,
      batch.space,
      batch.rowsRead,
      batch.replace,
    ],
  );
  return rows[0].id;
}
