import { Pool } from 'pg';
import type { StoreConfig } from '../../store';
import { openPGlite } from '../../store/open-pglite';
import type { SqlRunner } from './sql-runner';

/** What the raw baseline is, per database: the denominator of the bench's ratios. */
export const RAW_MEANING = {
  postgres:
    'pg.Pool (max = concurrency) in the bench process; one parameterised statement per lookup (a join for single, = ANY($2) for a batch), unnamed extended protocol as TypeORM sends; dataset and protocol ids resolved once',
  pglite:
    'the same PGlite folder opened directly (PGlite.query) in the bench process after the server closed it; same statements; PGlite runs one statement at a time on the main thread',
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
    try {
      return await work(async (sql, params) => (await pool.query(sql, params)).rows);
    } finally {
      await pool.end();
    }
  }
  const pglite = await openPGlite(config.dataDir);
  try {
    return await work(async (sql, params) => (await pglite.query<Record<string, unknown>>(sql, params)).rows);
  } finally {
    await pglite.close();
  }
}
