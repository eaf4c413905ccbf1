import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { StoreConfig } from '../../src/store';

/** A throw-away database for one test file, and how to remove it. */
export interface TestDatabase {
  config: StoreConfig;
  /** Environment for a child `nashub` process pointed at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** True when the suite runs against a real PostgreSQL (DATABASE_URL set), else PGlite. */
export const onPostgres = Boolean(process.env.DATABASE_URL);

/**
 * A fresh empty database: a new PostgreSQL database on DATABASE_URL's server (so test files can run in parallel), or
 * a PGlite folder in a temporary directory.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const dataDir = mkdtempSync(join(tmpdir(), 'nashub-test-'));
    return {
      config: { kind: 'pglite', dataDir },
      env: { NASHUB_DATA: dataDir, DATABASE_URL: '' },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `nashub_test_${randomBytes(6).toString('hex')}`;
  const admin = new URL(base);
  admin.pathname = '/postgres';
  await withClient(admin.toString(), (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString() },
    env: { DATABASE_URL: url.toString() },
    drop: () =>
      withClient(admin.toString(), (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
