import { afterEach, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/store';

/**
 * Two concurrent transactions on one PGlite: A inserts and commits, B inserts and rolls back, interleaved so that B's
 * ROLLBACK is sent while A's transaction is open. Returns the rows that survive.
 */
async function concurrentCommitAndRollback(dataSource: DataSource): Promise<number[]> {
  await dataSource.query('CREATE TABLE t (v integer NOT NULL)');
  const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
  const committing = dataSource.transaction(async (manager) => {
    await manager.query('INSERT INTO t (v) VALUES (1)');
    await tick();
    await tick();
    await manager.query('INSERT INTO t (v) VALUES (2)');
  });
  const rollingBack = dataSource
    .transaction(async (manager) => {
      await tick();
      await manager.query('INSERT INTO t (v) VALUES (100)');
      throw new Error('roll me back');
    })
    .catch((error: Error) => {
      if (error.message !== 'roll me back') throw error;
    });
  const outcomes = await Promise.allSettled([committing, rollingBack]);
  const rows: Array<{ v: number }> = await dataSource.query('SELECT v FROM t ORDER BY v');
  for (const outcome of outcomes) if (outcome.status === 'rejected') rows.push({ v: -1 });
  return rows.map((row) => row.v);
}

describe('PGlite session serialisation', () => {
  let db: PGlite | undefined;
  let dataSource: DataSource | undefined;
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.close();
  });

  it("keeps one transaction's rows when a concurrent one rolls back", async () => {
    db = await PGlite.create();
    dataSource = createDataSource({ pglite: db });
    await dataSource.initialize();
    expect(await concurrentCommitAndRollback(dataSource)).toEqual([1, 2]);
  });

  it('without serialisation the same interleaving corrupts the committed transaction (the hazard guarded above)', async () => {
    db = await PGlite.create();
    dataSource = createDataSource({ pglite: db, serialisePGlite: false });
    await dataSource.initialize();
    expect(await concurrentCommitAndRollback(dataSource)).not.toEqual([1, 2]);
  });
});
