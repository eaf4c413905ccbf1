import type { EntityManager } from 'typeorm';
import { defaultProtocol, loadCatalog } from '../../store/catalog/catalog';
import type { SqlRunner } from './sql-runner';

/** The mean valid accuracy exactly as `record(dataset) { validAcc }` defines it: over seeded runs, else the published mean. */
const VALID_ACC = `coalesce(avg(r.valid_acc) FILTER (WHERE r.seed IS NOT NULL), max(r.valid_acc) FILTER (WHERE r.seed IS NULL))`;

const SINGLE_SQL = `SELECT ${VALID_ACC} AS valid_acc
  FROM architecture a JOIN run r ON r.architecture_id = a.id
 WHERE a.space = $1 AND a.hash = $2 AND r.dataset_id = $3 AND r.protocol_id = $4 AND r.status = 'COMPLETE'`;

const BATCH_SQL = `SELECT a.hash, ${VALID_ACC} AS valid_acc
  FROM architecture a JOIN run r ON r.architecture_id = a.id
 WHERE a.space = $1 AND a.hash = ANY($2::text[]) AND r.dataset_id = $3 AND r.protocol_id = $4 AND r.status = 'COMPLETE'
 GROUP BY a.hash`;

/** The same lookups from the seed means the store keeps (`run_seed_mean`): what `record { validAcc }` now reads. */
const BATCH_SUMMARY_SQL = `SELECT a.hash, s.valid_acc
  FROM architecture a JOIN run_seed_mean s ON s.architecture_id = a.id AND s.dataset_id = $3 AND s.protocol_id = $4
 WHERE a.space = $1 AND a.hash = ANY($2::text[]) AND s.runs > 0`;

/** Where the raw lookups read: ids resolved once, as a hand-written client would. */
export interface RawRecordTarget {
  space: string;
  datasetId: number;
  protocolId: number;
}

/** Hand-written SQL equivalents of the benchmarked GraphQL queries. */
export interface RawRecordQueries {
  /** One architecture's mean valid accuracy in one statement (a join), or null. */
  single(hash: string): Promise<number | null>;
  /** Many architectures' values in input order, in one `= ANY($2)` statement aggregating their runs. */
  batch(hashes: readonly string[]): Promise<Array<number | null>>;
  /** The same values in one `= ANY($2)` statement reading the kept seed means, one row per architecture. */
  batchSummary(hashes: readonly string[]): Promise<Array<number | null>>;
}

/** The ids `record(dataset)` without a protocol reads, chosen as the API chooses them ({@link defaultProtocol}). */
export async function resolveRawRecordTarget(
  manager: EntityManager,
  space: string,
  dataset: string,
): Promise<RawRecordTarget> {
  const catalog = await loadCatalog(manager);
  const datasetRow = catalog.datasetByName.get(dataset);
  const protocol = datasetRow && defaultProtocol(catalog, { space, datasetId: datasetRow.id });
  if (!datasetRow || !protocol) throw new Error(`dataset ${dataset} or its protocol is not stored`);
  return { space, datasetId: datasetRow.id, protocolId: protocol.id };
}

/** The lookups over `run`, reading `target` (resolved once, as a hand-written client would). */
export function createRawRecordQueries(run: SqlRunner, target: RawRecordTarget): RawRecordQueries {
  return {
    single: async (hash) => {
      const rows = await run(SINGLE_SQL, [target.space, hash, target.datasetId, target.protocolId]);
      return (rows[0]?.valid_acc as number | null | undefined) ?? null;
    },
    batch: (hashes) => batchOf(BATCH_SQL, hashes),
    batchSummary: (hashes) => batchOf(BATCH_SUMMARY_SQL, hashes),
  };
  async function batchOf(sql: string, hashes: readonly string[]): Promise<Array<number | null>> {
    const rows = await run(sql, [target.space, hashes, target.datasetId, target.protocolId]);
    const byHash = new Map(rows.map((row) => [row.hash as string, row.valid_acc as number | null]));
    return hashes.map((hash) => byHash.get(hash) ?? null);
  }
}
