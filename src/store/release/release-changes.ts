import { parquetReadObjects } from 'hyparquet';
import { fileBuffer } from '../import/parquet-file-buffer';
import { METRIC_COLUMNS } from './release-columns';

/** What moved between two versions of a release, in runs (a run is keyed by space, arch_id, dataset, protocol, seed). */
export interface ReleaseChanges {
  /** Runs the new version has and its predecessor had not. */
  added: number;
  /** Runs both have, with another value in a metric, seed_count, train_seconds or source. */
  changed: number;
  /** Runs the predecessor had and the new version has not. */
  removed: number;
}

const VALUE_COLUMNS = [...METRIC_COLUMNS, 'seed_count', 'train_seconds', 'source', 'protocol_epochs'];

/** Compares two records.parquet files run by run. */
export async function releaseChanges(predecessorRecords: string, records: string): Promise<ReleaseChanges> {
  const before = await readRuns(predecessorRecords);
  const after = await readRuns(records);
  let added = 0;
  let changed = 0;
  for (const [key, value] of after) {
    const old = before.get(key);
    if (old === undefined) added += 1;
    else if (old !== value) changed += 1;
  }
  let removed = 0;
  for (const key of before.keys()) if (!after.has(key)) removed += 1;
  return { added, changed, removed };
}

/** Each run of a records file: its key, and its values as one comparable string. */
async function readRuns(path: string): Promise<Map<string, string>> {
  const file = await fileBuffer(path);
  try {
    const rows = await parquetReadObjects({ file });
    return new Map(
      rows.map((row) => [
        JSON.stringify([row.space, row.arch_id, row.dataset, row.protocol, row.seed ?? null]),
        JSON.stringify(VALUE_COLUMNS.map((c) => row[c] ?? null)),
      ]),
    );
  } finally {
    await file.close();
  }
}
