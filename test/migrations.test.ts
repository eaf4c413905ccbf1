import { afterEach, describe, expect, it } from 'vitest';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PGlite } from '@electric-sql/pglite';
import { createDataSource, openStore, readSchemaVersion } from '../src/store';
import { migrations } from '../src/migrations';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

class Broken9999999999999 implements MigrationInterface {
  name = 'Broken9999999999999';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE half_written (x integer)');
    await queryRunner.query('SELECT no_such_function()');
  }
  async down(): Promise<void> {}
}

describe(`migrations (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
  });

  it('roll back as a whole when one fails, leaving the database as it was', async () => {
    database = await createTestDatabase();
    const pglite = database.config.kind === 'pglite' ? await PGlite.create(database.config.dataDir) : undefined;
    const url = database.config.kind === 'postgres' ? database.config.url : undefined;
    const broken = createDataSource({ url, pglite });
    broken.setOptions({ migrations: [...migrations, Broken9999999999999] });
    await broken.initialize();
    await expect(broken.runMigrations({ transaction: 'all' })).rejects.toThrow();
    const tables: Array<{ name: string | null }> = await broken.query(
      `SELECT to_regclass('search_space')::text AS name UNION ALL SELECT to_regclass('half_written')::text`,
    );
    expect(tables.map((t) => t.name)).toEqual([null, null]);
    expect(await readSchemaVersion(broken)).toBeNull();
    await broken.destroy();
    await pglite?.close();

    const store = await openStore({ config: database.config });
    expect(store.schemaVersion).toBe(migrations[migrations.length - 1].name);
    await store.close();
  });

  it('are idempotent: opening a migrated database again applies nothing new', async () => {
    database = await createTestDatabase();
    const first = await openStore({ config: database.config });
    await first.close();
    const second = await openStore({ config: database.config });
    const rows: Array<{ n: number }> = await second.dataSource.query(
      'SELECT count(*)::int AS n FROM nashub_migrations',
    );
    expect(rows[0].n).toBe(migrations.length);
    await second.close();
  });

  it('the newest migration reverts and applies again (its down() works): the schema it touched changes, then comes back', async () => {
    database = await createTestDatabase();
    const store = await openStore({ config: database.config });
    // The schema's shape: its columns, triggers and functions.
    const columns = async (): Promise<string[]> => {
      const rows: Array<{ name: string }> = await store.dataSource.query(
        `SELECT 'column ' || table_name || '.' || column_name AS name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name <> 'migrations'
         UNION ALL
         SELECT 'trigger ' || event_object_table || '.' || trigger_name || ' ' || event_manipulation
           FROM information_schema.triggers WHERE trigger_schema = 'public'
         UNION ALL
         SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
         ORDER BY 1`,
      );
      return rows.map((row) => row.name);
    };
    const migrated = await columns();
    await store.dataSource.undoLastMigration({ transaction: 'all' });
    expect(await readSchemaVersion(store.dataSource)).toBe(migrations[migrations.length - 2].name);
    expect(await columns()).not.toEqual(migrated);
    await store.dataSource.runMigrations({ transaction: 'all' });
    expect(await readSchemaVersion(store.dataSource)).toBe(migrations[migrations.length - 1].name);
    expect(await columns()).toEqual(migrated);
    await store.close();
  });
});
