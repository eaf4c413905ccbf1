import type { DataSource } from 'typeorm';

/** Row counts of the tables an import writes, to prove that nothing was (or something was) written. */
export async function countRows(dataSource: DataSource): Promise<Record<string, number>> {
  const rows: Array<Record<string, number>> = await dataSource.query(
    `SELECT (SELECT count(*)::int FROM architecture) AS architectures, (SELECT count(*)::int FROM run) AS runs,
            (SELECT count(*)::int FROM run_epoch) AS epochs, (SELECT count(*)::int FROM import_batch) AS batches,
            (SELECT count(*)::int FROM dataset) AS datasets, (SELECT count(*)::int FROM protocol) AS protocols, (SELECT count(*)::int FROM architecture_external_id) AS "externalIds"`,
  );
  return rows[0];
}
