import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishRelease } from '../src/store/release';
import { importReleaseFixtures } from './support/release-fixtures';
import { runNashub, spawnNashub, waitForOutput, type NashubProcess } from './support/spawn-nashub';
import { startTestServer, type TestServer } from './support/start-test-server';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

describe(`the quick start: npm start, then import a release by URL (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let dir: string;
  let source: TestServer;
  let database: TestDatabase;
  let serve: NashubProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-quick-start-'));
    source = await startTestServer({ releasesDir: join(dir, 'a') });
    await importReleaseFixtures(source.store.dataSource, dir);
    await publishRelease({
      dataSource: source.store.dataSource,
      name: 'fixture',
      version: '1.0.0',
      outDir: join(dir, 'a', 'fixture', '1.0.0'),
      nashubVersion: '0.0.0-test',
      filter: { space: 'nb101' },
    });
    database = await createTestDatabase();
  });
  afterAll(async () => {
    serve?.child.kill('SIGKILL');
    await serve?.exited;
    await source?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says in one line how to fill an empty store; the import goes through the running server, which serves it', async () => {
    const env = { ...database.env, NASHUB_RELEASES: join(dir, 'b') };
    serve = spawnNashub(['serve', '--port', '0'], env);
    const url = (await waitForOutput(serve, /nashub API on (http:\/\/\S+)\/graphql/, 300_000))[1];
    const hint = (await waitForOutput(serve, /^nashub: the store is empty.*$/m))[0];
    expect(hint).toMatch(/nashub import --release http/);

    const imported = await runNashub(['import', '--release', `${source.baseUrl}/releases/fixture/1.0.0/`], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.lines.at(-1)!)).toMatchObject({ status: 'IMPORTED', name: 'fixture' });
    if (!onPostgres) expect(imported.stderr).toMatch(/through the server at/);
    const index = (await (await fetch(`${url}/releases`)).json()) as { releases: Array<{ name: string }> };
    expect(index.releases.map((r) => r.name)).toEqual(['fixture']);

    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  }, 300_000);
});
