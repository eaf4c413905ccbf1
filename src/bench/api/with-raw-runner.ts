import { Pool } from 'pg';
import type { StoreConfig } from '../../store';
import { openPGlite } from '../../store/open-pglite';
import type { SqlRunner } from './sql-runner';

/** What the raw baseline is, per database: the denominator of the bench's ratios. */
export const RAW_MEANING = {
  postgres:
    'pg.Pool (max = concurrency) in the bench process; one parameterised statement per lookup (a join for single, = ANY($2) for a batch), unnamed extended protocol as TypeORM sends; dataset and protocol ids resolved once; rawPgBatch* aggregates run (the denominator of batchRatio), rawPgBatchSummary* reads run_seed_mean with the same keys',
  pglite:
    'the same PGlite folder opened directly (PGlite.query) in the bench process after the server closed it; same statements; PGlite runs one statement at a time on the main thread; rawPgBatch* aggregates run (the denominator of batchRatio), rawPgBatchSummary* reads run_seed_mean with the same keys',
} as const;

/**
 * Connects to the database as {@link RAW_MEANING} says, runs `work` with a statement runner, and disconnects. PGlite
 * holds its folder exclusively: close every store on it first.
 */
export async function withRawRunner<T>(
  config: StoreConfig,
  poolSize: number,
  work: (run: SqlRunner) => Promise<T>,
): Promise<T> {
  if (config.kind === 'postgres') {
    const pool = new Pool({ connectionString: config.url, max: poolSize });
    // pg-pool's end() resolves once it has asked its idle clients to end, before their connections have closed; the
    // bench then drops the database WITH (FORCE), and a backend terminated before it read the client's Terminate
    // sends an error to an idle client, which the pool re-emits: with no listener, that killed the bench before it
    // printed its JSON. So wait for every connection to close; an idle client's error while the work runs fails it.
    const closed: Array<Promise<void>> = [];
    pool.on('connect', (client) => closed.push(new Promise((resolve) => client.once('end', () => resolve()))));
    let idleError: Error | undefined;
    pool.on('error', (error) => (idleError ??= error));
    try {
      const result = await work(async (sql, params) => (await pool.query(sql, params)).rows);
      if (idleError) throw new Error('a raw client failed while idle', { cause: idleError });
      return result;
    } finally {
      await pool.end();
      await Promise.all(closed);
    }
  }
  const pglite = await openPGlite(config.dataDir);
  try {
    return await work(async (sql, params) => (await pglite.query<Record<string, unknown>>(sql, params)).rows);
  } finally {
    await pglite.close();
  }
}
