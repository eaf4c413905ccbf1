import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { StoreConfig } from '../store';

/** An empty database made for one bench run. */
export interface FreshDatabase {
  config: StoreConfig;
  /** Deletes the PGlite folder, or drops the PostgreSQL database (closing whatever is still connected). */
  drop(): Promise<void>;
}

/**
 * A PGlite folder under the OS temp dir, or, given a server URL, a new database `nashub_<prefix>_<hex>` on that server;
 * the server's other databases are never written.
 */
export async function createFreshDatabase(prefix: string, serverUrl?: string): Promise<FreshDatabase> {
  if (!serverUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), `nashub-${prefix}-`));
    return { config: { kind: 'pglite', dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `nashub_${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  await adminQuery(admin.toString(), `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString() },
    drop: () => adminQuery(admin.toString(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
