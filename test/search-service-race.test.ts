import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNashubError } from '../src/core';
import { SearchService } from '../src/search/service';
import { startSearchServer, type SearchServer } from './support/search-service-fixtures';
import { onPostgres } from './support/test-database';

/**
 * A tell that waits for its run's lock while another transaction expires its trial must see the expiry (CONFLICT), not
 * the trial as it was before the wait. Only PostgreSQL has two connections to race; PGlite serialises every
 * transaction of the process.
 */
describe.skipIf(!onPostgres)('a tell that waited for the run lock (postgres)', () => {
  let server: SearchServer;

  beforeAll(async () => {
    server = await startSearchServer();
  }, 600_000);

  afterAll(async () => {
    await server?.close();
  });

  it('answers CONFLICT for a trial expired while it waited, and leaves the trial EXPIRED', async () => {
    const service = new SearchService(server.store.dataSource);
    const run = await service.createRun({ preset: 'nb201-cifar10-valid', strategy: 'RANDOM', budgetEvaluations: 3 });
    const { trials } = await service.ask(run.id, 'w', 1);
    const [trial] = trials;
    const other = new Client({ connectionString: (server.database.config as { url: string }).url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM search_run WHERE id = $1 FOR UPDATE', [run.id]);
      const told = service.tell(trial.id, 'w', { value: trial.simulatedValue! }).then(
        () => null,
        (error: unknown) => error,
      );
      // Wait until the tell's locking read is queued behind this transaction's lock.
      for (let i = 0; i < 200; i++) {
        const { rows } = await other.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype IN ('transactionid', 'tuple')`,
        );
        if (rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      // As another API process's batch would: expire the trial, and move the run's row on (every batch does, so a
      // process that kept the run's counts knows they are stale).
      await other.query(`UPDATE search_trial SET state = 'EXPIRED' WHERE id = $1`, [trial.id]);
      await other.query(`UPDATE search_run SET version = version WHERE id = $1`, [run.id]);
      await other.query('COMMIT');
      const error = await told;
      expect(isNashubError(error) && error.code).toBe('CONFLICT');
    } finally {
      await other.end();
    }
    const [row] = await server.store.dataSource.query('SELECT state FROM search_trial WHERE id = $1', [trial.id]);
    expect(row.state).toBe('EXPIRED');
  }, 120_000);
});
