import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store';
import { publishRelease } from '../src/store/release';
import { countRows } from './support/count-rows';
import { importReleaseFixtures } from './support/release-fixtures';
import { runNashub } from './support/spawn-nashub';
import { startTestServer, type TestServer } from './support/start-test-server';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

const DATA_FILES = ['curves.csv', 'curves.parquet', 'records.csv', 'records.parquet'];

describe(`nashub import --release URL and nashub mirror between two stores (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let dir: string;
  let source: TestServer;
  let database: TestDatabase;
  let env: Record<string, string>;
  let runsAfterImport = 0;
  const releaseUrl = () => `${source.baseUrl}/releases/fixture/1.0.0/`;
  const runsOfTarget = async () => {
    const store = await openStore({ config: database.config });
    try {
      return (await countRows(store.dataSource)).runs;
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-mirror-'));
    source = await startTestServer({ releasesDir: join(dir, 'a') });
    await importReleaseFixtures(source.store.dataSource, dir);
    for (const [name, space] of [
      ['fixture', null],
      ['fixture-nb101', 'nb101'],
    ] as const) {
      await publishRelease({
        dataSource: source.store.dataSource,
        name,
        version: '1.0.0',
        outDir: join(dir, 'a', name, '1.0.0'),
        nashubVersion: '0.0.0-test',
        filter: { space },
      });
    }
    database = await createTestDatabase();
    env = { ...database.env, NASHUB_RELEASES: join(dir, 'b') };
  });
  afterAll(async () => {
    await source?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a release by URL into another store; a re-publish there is byte-identical', async () => {
    const imported = await runNashub(['import', '--release', releaseUrl()], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.lines.at(-1)!)).toMatchObject({ status: 'IMPORTED', name: 'fixture' });
    runsAfterImport = await runsOfTarget();
    expect(runsAfterImport).toBe((await countRows(source.store.dataSource)).runs);
    const out = join(dir, 'republished');
    const republished = await runNashub(['publish', '--name', 'again', '--version', '1', '--out', out], env);
    expect(republished.code, republished.stderr).toBe(0);
    for (const name of DATA_FILES)
      expect(readFileSync(join(out, name)).equals(readFileSync(join(dir, 'a', 'fixture', '1.0.0', name))), name).toBe(
        true,
      );
    // The runs kept where they came from across the network: the same origins (ids, descriptions, counts).
    const manifest = (folder: string) => JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    expect(manifest(out).provenance).toEqual(manifest(join(dir, 'a', 'fixture', '1.0.0')).provenance);
  });

  it('mirrors what the other server lists and this store lacks; the second mirror adds nothing', async () => {
    const first = await runNashub(['mirror', '--from', source.baseUrl], env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.lines.at(-1)!)).toEqual({
      imported: [{ name: 'fixture-nb101', version: '1.0.0', status: 'NOTHING_NEW' }],
      present: [{ name: 'fixture', version: '1.0.0' }],
    });
    const second = await runNashub(['mirror', '--from', `${source.baseUrl}/`], env);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.lines.at(-1)!).imported).toEqual([]);
    expect(second.stderr).toMatch(/nothing added/);
    // fixture-nb101's runs are a part of fixture's: mirrored, recorded and served, but no new run.
    expect(await runsOfTarget()).toBe(runsAfterImport);
  });

  it('fails with one typed line and a non-zero exit on bad input', async () => {
    const refused = await runNashub(['import', '--release', 'http://127.0.0.1:1/releases/x/1/'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^nashub: DOWNLOAD_FAILED: /m);
    const badTimeout = await runNashub(['mirror', '--from', source.baseUrl, '--timeout', '0'], env);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toMatch(/INVALID_ARGUMENT/);
  });
});
