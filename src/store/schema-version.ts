import type { DataSource } from 'typeorm';

/** Name of the last applied migration, or null when none has run. */
export async function readSchemaVersion(dataSource: DataSource): Promise<string | null> {
  const exists: Array<{ present: boolean }> = await dataSource.query(
    `SELECT to_regclass('nashub_migrations') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return null;
  const rows: Array<{ name: string }> = await dataSource.query(
    'SELECT name FROM nashub_migrations ORDER BY timestamp DESC, id DESC LIMIT 1',
  );
  return rows[0]?.name ?? null;
}
