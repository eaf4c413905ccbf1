import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store';
import { importApiFixtures } from './support/api-fixtures';
import { spawnNashub } from './support/spawn-nashub';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

const FULL_DISK = join(__dirname, 'support', 'full-disk.cjs');

describe(`nashub publish on a full disk (issue 16 defect 6, ${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-full-disk-'));
    database = await createTestDatabase();
    const store = await openStore({ config: database.config });
    await importApiFixtures(store.dataSource);
    await store.close();
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one typed DISK_FULL line, exits 1, and leaves no release folder behind', async () => {
    const out = join(dir, 'release');
    // The release files are written into a staging folder beside --out; /dev/full answers their writes with ENOSPC.
    const proc = spawnNashub(['publish', '--name', 'full', '--version', '1.0.0', '--out', out], {
      ...database.env,
      NODE_OPTIONS: `--require ${FULL_DISK}`,
      NASHUB_FULL_DISK_MATCH: '.release.partial-',
    });
    expect(await proc.exited).toBe(1);
    const lines = proc
      .stderr()
      .trimEnd()
      .split('\n')
      .filter((line) => !line.startsWith('{'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^nashub: DISK_FULL: /);
    expect(proc.stderr()).not.toContain('unexpected error');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);
});
