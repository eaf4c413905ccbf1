import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReleaseFromUrl, mirrorReleases, type ImportReleaseFromUrlOptions } from '../src/releases';
import { openStore, type Store } from '../src/store';
import { publishRelease } from '../src/store/release';
import { countRows } from './support/count-rows';
import { sendBytes, startFakeServer, type FakeServer } from './support/fake-release-server';
import { importReleaseFixtures } from './support/release-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

const FILES = ['curves.csv', 'curves.parquet', 'records.csv', 'records.parquet', 'manifest.json'];

describe(`import --release URL (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let dir: string;
  let source: TestServer;
  let fake: FakeServer;
  let database: TestDatabase;
  let target: Store;
  let targetReleases: string;
  const bytes: Record<string, Buffer> = {};

  const importInto = (url: string, options: Partial<ImportReleaseFromUrlOptions> = {}) =>
    importReleaseFromUrl({
      dataSource: target.dataSource,
      url,
      releasesDir: targetReleases,
      replace: false,
      timeoutMs: 5_000,
      retries: 3,
      ...options,
    });
  const failure = async (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable('the import succeeded'),
      (error: unknown) => error as { code: string; details: Record<string, unknown> },
    );
  const releaseRows = async () => (await target.dataSource.query('SELECT count(*)::int AS n FROM release'))[0].n;
  /** Nothing in the store, nothing left in the download folder. */
  const expectNothingWritten = async () => {
    expect((await countRows(target.dataSource)).runs).toBe(0);
    expect(await releaseRows()).toBe(0);
    const downloads = join(targetReleases, '.downloads');
    expect(existsSync(downloads) ? readdirSync(downloads) : []).toEqual([]);
  };
  /** The fake server serves the fixture release, with some files replaced. */
  const serveRelease = (replace: Record<string, Buffer | ((req: any, res: any) => void)> = {}) => {
    fake.handle = (req, res, path) => {
      const name = path.replace(/^\/r\//, '');
      const answer = replace[name] ?? bytes[name];
      if (typeof answer === 'function') return answer(req, res);
      if (!answer) return void res.writeHead(404).end();
      sendBytes(req, res, answer);
    };
  };
  const manifestWith = (change: (m: any) => void) => {
    const copy = JSON.parse(bytes['manifest.json'].toString());
    change(copy);
    return Buffer.from(JSON.stringify(copy));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-url-import-'));
    source = await startTestServer({ releasesDir: join(dir, 'a') });
    await importReleaseFixtures(source.store.dataSource, dir);
    const folder = join(dir, 'a', 'fixture', '1.0.0');
    await publishRelease({
      dataSource: source.store.dataSource,
      name: 'fixture',
      version: '1.0.0',
      outDir: folder,
      nashubVersion: '0.0.0-test',
    });
    for (const name of FILES) bytes[name] = readFileSync(join(folder, name));
    fake = await startFakeServer();
    database = await createTestDatabase();
    target = await openStore({ config: database.config });
    targetReleases = join(dir, 'b');
  });
  afterAll(async () => {
    await fake?.close();
    await target?.close();
    await database?.drop();
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses what is not a release: a web page, a 404, JSON of another shape, a bad URL', async () => {
    fake.handle = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hi</html>');
    expect(await failure(importInto(`${fake.baseUrl}/r/`))).toMatchObject({
      code: 'RELEASE_INVALID',
      details: { reason: 'not-a-release' },
    });
    fake.handle = (_req, res) => res.writeHead(404).end('nope');
    expect((await failure(importInto(`${fake.baseUrl}/r/`))).code).toBe('NOT_FOUND');
    serveRelease({ 'manifest.json': manifestWith((m) => (m.files = [])) });
    expect(await failure(importInto(`${fake.baseUrl}/r/manifest.json`))).toMatchObject({
      code: 'RELEASE_INVALID',
      details: { field: 'files' },
    });
    serveRelease({ 'manifest.json': Buffer.from('hello') });
    expect((await failure(importInto(`${fake.baseUrl}/r`))).code).toBe('RELEASE_INVALID');
    expect((await failure(importInto('ftp://example.org/r/'))).code).toBe('INVALID_ARGUMENT');
    await expectNothingWritten();
  });

  it('refuses a redirect loop and a connection refused with DOWNLOAD_FAILED', async () => {
    fake.handle = (_req, res, path) =>
      res.writeHead(302, { location: path.startsWith('/a/') ? '/b/manifest.json' : '/a/manifest.json' }).end();
    expect(await failure(importInto(`${fake.baseUrl}/a/`))).toMatchObject({
      code: 'DOWNLOAD_FAILED',
      details: { reason: 'redirect-loop' },
    });
    expect(await failure(importInto('http://127.0.0.1:1/r/'))).toMatchObject({
      code: 'DOWNLOAD_FAILED',
      details: { reason: 'connect' },
    });
    await expectNothingWritten();
  });

  it('refuses file names outside the release and names that are not a folder name', async () => {
    const evil = { rows: 0, bytes: 1, sha256: '0'.repeat(64) };
    serveRelease({ 'manifest.json': manifestWith((m) => (m.files['../../evil'] = evil)) });
    expect(await failure(importInto(`${fake.baseUrl}/r/`))).toMatchObject({
      code: 'RELEASE_INVALID',
      details: { reason: 'path' },
    });
    serveRelease({ 'manifest.json': manifestWith((m) => (m.name = '../../x')) });
    expect(await failure(importInto(`${fake.baseUrl}/r/`))).toMatchObject({
      code: 'RELEASE_INVALID',
      details: { reason: 'path', field: 'name' },
    });
    await expectNothingWritten();
  });

  it('stops reading a file larger than its manifest says, there', async () => {
    let sent = 0;
    let closed!: () => void;
    const done = new Promise<void>((resolve) => (closed = resolve));
    const endless = (_req: any, res: any) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!res.destroyed && sent < 1024 ** 3) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      res.on('close', closed);
      pump();
    };
    serveRelease({ 'curves.csv': endless });
    expect(await failure(importInto(`${fake.baseUrl}/r/`))).toMatchObject({
      code: 'RELEASE_INVALID',
      details: { reason: 'bytes', file: 'curves.csv' },
    });
    await done;
    expect(sent).toBeLessThan(64 * 1024 ** 2);
    await expectNothingWritten();
  });

  it('times out on a slow server with a clear message', async () => {
    fake.handle = () => undefined;
    const silent = await failure(importInto(`${fake.baseUrl}/r/`, { timeoutMs: 300 }));
    expect(silent).toMatchObject({ code: 'DOWNLOAD_FAILED', details: { reason: 'timeout' } });
    expect((silent as unknown as Error).message).toMatch(/--timeout/);
    serveRelease({
      'records.csv': (_req: any, res: any) => {
        res.writeHead(200, { 'content-length': bytes['records.csv'].length });
        res.write(bytes['records.csv'].subarray(0, 100));
      },
    });
    expect(await failure(importInto(`${fake.baseUrl}/r/`, { timeoutMs: 300 }))).toMatchObject({
      code: 'DOWNLOAD_FAILED',
      details: { reason: 'timeout' },
    });
    await expectNothingWritten();
  });

  it('refuses a second import of the same URL while one runs, and takes over a lock whose process is gone', async () => {
    fake.handle = () => undefined;
    const first = failure(importInto(`${fake.baseUrl}/slow/`, { timeoutMs: 1_500 }));
    const downloads = join(targetReleases, '.downloads');
    while (!(existsSync(downloads) && readdirSync(downloads).some((f) => f.endsWith('.lock'))))
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await failure(importInto(`${fake.baseUrl}/slow/`))).toMatchObject({
      code: 'CONFLICT',
      details: { pid: process.pid },
    });
    expect((await first).code).toBe('DOWNLOAD_FAILED');
    await expectNothingWritten();
    // A lock left by a process that is gone (a pid of an exited child) does not block the next import.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const key = createHash('sha256').update(`${fake.baseUrl}/slow/`).digest('hex').slice(0, 16);
    writeFileSync(join(downloads, `${key}.lock`), gone);
    fake.handle = (_req, res) => res.writeHead(404).end();
    expect((await failure(importInto(`${fake.baseUrl}/slow/`))).code).toBe('NOT_FOUND');
    await expectNothingWritten();
  });

  it('refuses a file changed on the server with RELEASE_INVALID naming it, nothing written', async () => {
    const changed = Buffer.from(bytes['records.parquet']);
    changed[100] ^= 0xff;
    serveRelease({ 'records.parquet': changed });
    expect(await failure(importInto(`${fake.baseUrl}/r/`))).toMatchObject({
      code: 'RELEASE_INVALID',
      details: { file: 'records.parquet', reason: 'sha256' },
    });
    await expectNothingWritten();
  });

  it('resumes a download cut halfway with Range, in the next import, then imports and serves it', async () => {
    const half = Math.floor(bytes['records.parquet'].length / 2);
    let cut = false;
    serveRelease({
      'records.parquet': (req: any, res: any) => {
        sendBytes(req, res, bytes['records.parquet'], cut ? undefined : half);
        cut = true;
      },
    });
    fake.requests = [];
    expect(await failure(importInto(`${fake.baseUrl}/r/`, { retries: 0 }))).toMatchObject({
      code: 'DOWNLOAD_FAILED',
      details: { reason: 'interrupted', file: 'records.parquet', resumable: true },
    });
    expect((await countRows(target.dataSource)).runs).toBe(0);
    const result = await importInto(`${fake.baseUrl}/r/`, { retries: 0 });
    expect(result.status).toBe('IMPORTED');
    const resumed = fake.requests.filter((r) => r.path === '/r/records.parquet');
    expect(resumed.map((r) => r.range)).toEqual([undefined, `bytes=${half}-`]);
    expect((await countRows(target.dataSource)).runs).toBe((await countRows(source.store.dataSource)).runs);
    expect(await releaseRows()).toBe(1);
    const placed = join(targetReleases, 'fixture', '1.0.0');
    expect(result.dir).toBe(placed);
    for (const name of FILES) expect(readFileSync(join(placed, name)).equals(bytes[name]), name).toBe(true);
    expect(readdirSync(join(targetReleases, '.downloads'))).toEqual([]);
  });

  it('resumes within one import when retries are left; mirroring what the store has adds nothing', async () => {
    const cutOnce = new Set<string>();
    serveRelease(
      Object.fromEntries(
        FILES.filter((f) => f !== 'manifest.json').map((name) => [
          name,
          (req: any, res: any) => {
            sendBytes(req, res, bytes[name], cutOnce.has(name) ? undefined : Math.floor(bytes[name].length / 3));
            cutOnce.add(name);
          },
        ]),
      ),
    );
    fake.requests = [];
    const result = await importInto(`${fake.baseUrl}/r/`, { replace: false });
    expect(result.status).toBe('ALREADY_IMPORTED');
    for (const name of cutOnce) {
      const third = Math.floor(bytes[name].length / 3);
      const ranges = fake.requests.filter((r) => r.path === `/r/${name}`).map((r) => r.range);
      expect(ranges, name).toEqual([undefined, `bytes=${third}-`]);
    }
    expect(cutOnce.size).toBe(4);
    const before = await countRows(target.dataSource);
    const mirrored = await mirrorReleases({
      dataSource: target.dataSource,
      from: source.baseUrl,
      releasesDir: targetReleases,
      timeoutMs: 5_000,
      retries: 0,
    });
    expect(mirrored).toEqual({ imported: [], present: [{ name: 'fixture', version: '1.0.0' }] });
    expect(await countRows(target.dataSource)).toEqual(before);
    expect(mirrored.present).toHaveLength(1);
  });
});
