import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import type { DataSource } from 'typeorm';
import { createDataSource, openStore, type Store } from '../src/store';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

/**
 * Constraints and indexes of the entities' tables as PostgreSQL prints them, by table. Names are left out of
 * constraints (TypeORM names an unnamed single-column UNIQUE or a primary key its own way; named ones are compared by
 * TypeORM's diff); index names stay (every index is named in both).
 */
async function catalogOf(dataSource: DataSource): Promise<string[]> {
  const tables = dataSource.entityMetadatas.filter((m) => m.tableType !== 'view').map((m) => m.tableName);
  const rows: Array<{ line: string }> = await dataSource.query(
    `SELECT c.conrelid::regclass::text || ': ' || pg_get_constraintdef(c.oid) AS line
       FROM pg_constraint c
      WHERE c.conrelid::regclass::text = ANY($1::text[]) AND c.contype IN ('c', 'u', 'f')
     UNION ALL
     SELECT i.tablename || ': ' || i.indexdef
       FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
     ORDER BY 1`,
    [tables],
  );
  return rows.map((row) => row.line);
}

/**
 * What the migrations say that TypeORM's decorators cannot: `NULLS NOT DISTINCT` (run_key) and descending index
 * columns (prediction_rank_idx, training_job_created_idx). Both are commented on the entities.
 */
function withoutInexpressible(lines: string[]): string[] {
  return lines.map((line) => line.replace(/ NULLS NOT DISTINCT/g, '').replace(/ DESC/g, '')).sort();
}

/** Opening and migrating a PGlite database (twice in the catalog test) takes tens of seconds on a loaded machine. */
const SLOW_SETUP_MS = 300_000;

describe(`schema diff (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openStore({ config: database.config });
  }, SLOW_SETUP_MS);
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('entities and migrations agree: TypeORM plans no change on a migrated database', async () => {
    const { upQueries } = await store.dataSource.driver.createSchemaBuilder().log();
    const sql = upQueries.map((q) => q.query);
    expect(sql, `entities and migrations differ; TypeORM would run:\n${sql.join(';\n')}`).toEqual([]);
  });

  it(
    'check constraints, unique keys, foreign keys and indexes read the same as the entities declare them',
    async () => {
      // TypeORM's diff matches these by name only: a changed CHECK expression or index predicate would pass it. So a
      // second, empty database is built from the entities alone and the two catalogs are compared as printed.
      const pglite = onPostgres ? undefined : await PGlite.create();
      const scratch = onPostgres ? await createTestDatabase() : undefined;
      const fromEntities = createDataSource({
        pglite,
        url: scratch?.config.kind === 'postgres' ? scratch.config.url : undefined,
      });
      try {
        await fromEntities.initialize();
        await fromEntities.synchronize();
        const migrated = withoutInexpressible(await catalogOf(store.dataSource));
        const declared = (await catalogOf(fromEntities)).sort();
        expect(migrated.length).toBeGreaterThan(40);
        expect(declared).toEqual(migrated);
      } finally {
        if (fromEntities.isInitialized) await fromEntities.destroy();
        await pglite?.close();
        await scratch?.drop();
      }
    },
    SLOW_SETUP_MS,
  );

  it("every table and view of ours has an entity (pg-boss keeps its own schema; nashub_migrations is TypeORM's)", async () => {
    const rows: Array<{ name: string }> = await store.dataSource.query(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'nashub_migrations' ORDER BY 1`,
    );
    const mapped = store.dataSource.entityMetadatas.map((m) => m.tableName).sort();
    expect(rows.map((row) => row.name)).toEqual(mapped);
  });

  it('the run_epoch view has the columns its view entity maps', async () => {
    const view = store.dataSource.getMetadata('RunEpochEntity');
    const rows: Array<{ column_name: string }> = await store.dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
      [view.tableName],
    );
    expect(rows.map((row) => row.column_name)).toEqual(view.columns.map((column) => column.databaseName));
  });
});
