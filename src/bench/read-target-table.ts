import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ErrorCode, NashubError, type SearchSpace } from '../core';

/** Options of {@link readTargetTable}. */
export interface ReadTargetTableOptions {
  /** CSV file with a header row. */
  file: string;
  /** Search space that parses the architecture column. */
  space: SearchSpace;
  /** Column holding the architecture text (e.g. `arch_str`). */
  archColumn: string;
  /** Column holding the target (e.g. `cifar10_valid_acc`). */
  targetColumn: string;
}

/** Architectures and finite targets of a CSV, with the number of rows skipped for an empty or non-numeric target. */
export interface TargetTable {
  /** Parsed architectures. */
  archs: unknown[];
  /** Their targets. */
  targets: number[];
  /** Rows whose target was empty, NaN or infinite. */
  skipped: number;
}

/** Reads (architecture, target) pairs from a plain CSV; no database involved. */
export function readTargetTable(options: ReadTargetTableOptions): TargetTable {
  const rows = parse(readFileSync(options.file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  for (const column of [options.archColumn, options.targetColumn]) {
    if (rows.length > 0 && !(column in rows[0]!)) {
      throw new NashubError(ErrorCode.FILE_INVALID, `${options.file} has no column "${column}"`, {
        details: { file: options.file, column },
      });
    }
  }
  const table: TargetTable = { archs: [], targets: [], skipped: 0 };
  for (const row of rows) {
    const text = row[options.targetColumn]?.trim() ?? '';
    const target = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(target)) {
      table.skipped++;
      continue;
    }
    table.archs.push(options.space.parse(row[options.archColumn] ?? ''));
    table.targets.push(target);
  }
  return table;
}
