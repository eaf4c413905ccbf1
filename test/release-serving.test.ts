import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishRelease, type ReleaseManifest } from '../src/store/release';
import { graphqlRequest } from './support/graphql-request';
import { importReleaseFixtures } from './support/release-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** One raw HTTP exchange (fetch hides HEAD bodies and 304 details): status, headers and body bytes. */
function exchange(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe(`release files over HTTP (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let dir: string;
  let server: TestServer;
  let folder: string;
  let manifest: ReleaseManifest;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-serving-'));
    server = await startTestServer({ releasesDir: join(dir, 'releases') });
    await importReleaseFixtures(server.store.dataSource, dir);
    folder = join(dir, 'releases', 'fixture', '1.0.0');
    ({ manifest } = await publishRelease({
      dataSource: server.store.dataSource,
      name: 'fixture',
      version: '1.0.0',
      outDir: folder,
      nashubVersion: '0.0.0-test',
    }));
    // Recorded, but published elsewhere: not in the release folder, so not served.
    await publishRelease({
      dataSource: server.store.dataSource,
      name: 'elsewhere',
      version: '1',
      outDir: join(dir, 'elsewhere'),
      nashubVersion: '0.0.0-test',
      filter: { space: 'nb101' },
    });
    base = `${server.baseUrl}/releases/fixture/1.0.0/`;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the releases whose folder is in place', async () => {
    const { status, body } = await exchange(`${server.baseUrl}/releases`);
    expect(status).toBe(200);
    expect(JSON.parse(body.toString())).toEqual({
      releases: [
        {
          name: 'fixture',
          version: '1.0.0',
          createdAt: expect.any(String),
          contentSha256: manifest.contentSha256,
          url: '/releases/fixture/1.0.0/',
        },
      ],
    });
  });

  it('serves manifest.json and each data file whole, with ETag = sha256, immutable caching and a length', async () => {
    const served = await exchange(`${base}manifest.json`);
    expect(served.status).toBe(200);
    expect(served.body.equals(readFileSync(join(folder, 'manifest.json')))).toBe(true);
    expect(served.headers.etag).toBe(`"${sha256(served.body)}"`);
    expect(served.headers['content-type']).toMatch(/^application\/json/);
    expect((await exchange(base)).body.equals(served.body)).toBe(true);
    for (const [name, entry] of Object.entries(manifest.files)) {
      const file = await exchange(`${base}${name}`);
      expect(file.status).toBe(200);
      expect(file.headers.etag).toBe(`"${entry.sha256}"`);
      expect(file.headers['cache-control']).toMatch(/public.*immutable/);
      expect(file.headers['accept-ranges']).toBe('bytes');
      expect(Number(file.headers['content-length'])).toBe(entry.bytes);
      expect(sha256(file.body)).toBe(entry.sha256);
    }
  });

  it('answers Range with 206 and the bytes asked for, and 416 past the end', async () => {
    const whole = readFileSync(join(folder, 'records.parquet'));
    const url = `${base}records.parquet`;
    const middle = await exchange(url, { headers: { range: 'bytes=10-19' } });
    expect(middle.status).toBe(206);
    expect(middle.headers['content-range']).toBe(`bytes 10-19/${whole.length}`);
    expect(middle.headers['content-length']).toBe('10');
    expect(middle.body.equals(whole.subarray(10, 20))).toBe(true);
    const rest = await exchange(url, { headers: { range: `bytes=${whole.length - 100}-` } });
    expect(rest.body.equals(whole.subarray(whole.length - 100))).toBe(true);
    const tail = await exchange(url, { headers: { range: 'bytes=-7' } });
    expect(tail.body.equals(whole.subarray(whole.length - 7))).toBe(true);
    const past = await exchange(url, { headers: { range: `bytes=${whole.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${whole.length}`);
    // If-Range with another ETag: the client's part belongs to another file, so the whole file comes back.
    const changed = await exchange(url, { headers: { range: 'bytes=10-19', 'if-range': '"0000"' } });
    expect(changed.status).toBe(200);
    expect(changed.body.equals(whole)).toBe(true);
    const same = await exchange(url, {
      headers: { range: 'bytes=10-19', 'if-range': `"${manifest.files['records.parquet'].sha256}"` },
    });
    expect(same.status).toBe(206);
  });

  it('answers If-None-Match with 304 and no body', async () => {
    const etag = `"${manifest.files['curves.csv'].sha256}"`;
    for (const header of [etag, `"abc", W/${etag}`, '*']) {
      const cached = await exchange(`${base}curves.csv`, { headers: { 'if-none-match': header } });
      expect(cached.status).toBe(304);
      expect(cached.headers.etag).toBe(etag);
      expect(cached.body.length).toBe(0);
    }
    expect((await exchange(`${base}curves.csv`, { headers: { 'if-none-match': '"abc"' } })).status).toBe(200);
  });

  it('refuses unknown releases, files and paths outside a release with 404, and writes with 405', async () => {
    for (const path of [
      'fixture/9.9.9/manifest.json',
      'elsewhere/1/manifest.json',
      'fixture/1.0.0/secret.txt',
      'fixture/1.0.0/..%2F..%2Fmanifest.json',
      'fixture/..%2Ffixture/manifest.json',
      '..%2Freleases/1.0.0/records.csv',
      'fixture/1.0.0/records.csv/x',
      'fixture/1.0.0/%E0%A4%A',
    ]) {
      const answer = await exchange(`${server.baseUrl}/releases/${path}`);
      expect(answer.status, path).toBe(404);
      expect(JSON.parse(answer.body.toString()).code).toBe('NOT_FOUND');
    }
    const post = await exchange(`${base}records.csv`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('answers the releases and release queries over GraphQL, with URLs only for what this server serves', async () => {
    const answer = await graphqlRequest<any>(
      server.url,
      `{ releases { name version url contentSha256 }
         release(name: "fixture", version: "1.0.0") { manifest createdAt files { name sha256 bytes rows url } }
         missing: release(name: "fixture", version: "9") { name } }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.releases).toEqual([
      { name: 'elsewhere', version: '1', url: null, contentSha256: expect.any(String) },
      { name: 'fixture', version: '1.0.0', url: '/releases/fixture/1.0.0/', contentSha256: manifest.contentSha256 },
    ]);
    expect(answer.data.release.manifest).toEqual(manifest);
    expect(answer.data.release.files).toEqual(
      Object.keys(manifest.files)
        .sort()
        .map((name) => ({ name, ...manifest.files[name], url: `/releases/fixture/1.0.0/${name}` })),
    );
    expect(answer.data.missing).toBeNull();
    const served = await exchange(`${server.baseUrl}${answer.data.release.files[3].url}`);
    expect(sha256(served.body)).toBe(answer.data.release.files[3].sha256);
  });

  it('answers HEAD without reading the file (a FIFO in its place would block any read)', async () => {
    const path = join(folder, 'curves.parquet');
    renameSync(path, `${path}.moved`);
    execFileSync('mkfifo', [path]);
    try {
      const head = await exchange(`${base}curves.parquet`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(Number(head.headers['content-length'])).toBe(manifest.files['curves.parquet'].bytes);
      expect(head.headers.etag).toBe(`"${manifest.files['curves.parquet'].sha256}"`);
      expect(head.body.length).toBe(0);
      const cached = await exchange(`${base}curves.parquet`, {
        headers: { 'if-none-match': `"${manifest.files['curves.parquet'].sha256}"` },
      });
      expect(cached.status).toBe(304);
    } finally {
      rmSync(path);
      renameSync(`${path}.moved`, path);
    }
  });
});
