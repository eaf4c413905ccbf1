import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store';
import { countRows } from './support/count-rows';
import { runsMapping, writeRunsCsv } from './support/nb201-fixtures';
import { spawnNashub } from './support/spawn-nashub';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

describe(`nashub import killed with SIGKILL (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'nashub-kill-'));
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves zero rows of the file in the database', async () => {
    const file = writeRunsCsv(dir, 'big.csv', 60_000);
    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify(runsMapping));
    const proc = spawnNashub(['import', '--space', 'nb201', '--file', file, '--map', map], {
      ...database.env,
      NASHUB_LOG_LEVEL: 'info',
    });
    const deadline = Date.now() + 60_000;
    while (
      !/"event":"progress".*"rows":[1-9]/.test(proc.stderr()) &&
      proc.child.exitCode === null &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(proc.child.exitCode).toBeNull();
    proc.child.kill('SIGKILL');
    await proc.exited;

    const store = await openStore({ config: database.config });
    try {
      expect(await countRows(store.dataSource)).toMatchObject({ runs: 0, architectures: 0, batches: 0, epochs: 0 });
    } finally {
      await store.close();
    }
  });
});
