import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRecords, type ExportFormatValue } from '../src/store/release/export-records';
import { writeReleaseTables } from '../src/store/release/write-release-tables';
import { importApiFixtures } from './support/api-fixtures';
import { graphqlRequest } from './support/graphql-request';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';

describe(`GET /export (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  const dirs: string[] = [];
  beforeAll(async () => {
    t = await startTestServer();
    await importApiFixtures(t.store.dataSource);
  });
  afterAll(async () => {
    await t?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** The release writer's records files for a filter. */
  const released = async (dataset: string, protocol: string | null) => {
    const dir = mkdtempSync(join(tmpdir(), 'nashub-export-'));
    dirs.push(dir);
    await writeReleaseTables({ dataSource: t.store.dataSource, dir, filter: { space: 'nb201', dataset, protocol } });
    return { csv: readFileSync(join(dir, 'records.csv')), parquet: readFileSync(join(dir, 'records.parquet')) };
  };
  const get = async (path: string) => {
    const response = await fetch(`${t.baseUrl}${path}`);
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  };

  it.each([
    ['every protocol of a dataset with per-seed runs', 'cifar10-valid', null],
    ['one protocol of a dataset of published seed means', 'cifar100', 'hp=200'],
  ])('sends the bytes the release writer writes: %s', async (_, dataset, protocol) => {
    const files = await released(dataset, protocol);
    const query = protocol === null ? '' : `&protocol=${encodeURIComponent(protocol)}`;
    for (const format of ['csv', 'parquet'] as const) {
      const { response, bytes } = await get(`/export/nb201/${dataset}?seeds=ALL&format=${format}${query}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(format === 'csv' ? /^text\/csv/ : /parquet/);
      expect(bytes.equals(files[format])).toBe(true);
    }
    expect(files.csv.toString('utf8').split('\n').length).toBeGreaterThan(100);
  });

  it('keeps only the metric columns asked for, in the release column order', async () => {
    const full = (await get('/export/nb201/cifar10-valid?seeds=ALL')).bytes.toString('utf8').trim().split('\n');
    const { response, bytes } = await get('/export/nb201/cifar10-valid?seeds=ALL&metrics=testAcc,VALID_ACC&format=csv');
    expect(response.status).toBe(200);
    const lines = bytes.toString('utf8').trim().split('\n');
    const header = full[0].split(',');
    const keep = header.map((name) => !/_(acc|loss)$/.test(name) || name === 'valid_acc' || name === 'test_acc');
    expect(lines[0].split(',')).toEqual(header.filter((_, i) => keep[i]));
    expect(lines.slice(1)).toEqual(
      full.slice(1).map((line) =>
        line
          .split(',')
          .filter((_, i) => keep[i])
          .join(','),
      ),
    );
  });

  it.each(['ALL', 'MEAN'] as const)(
    'gives the same bytes whatever the page size it reads by (seeds %s)',
    async (seeds) => {
      const read = async (format: ExportFormatValue, pageRows: number) => {
        const chunks: Buffer[] = [];
        for await (const chunk of exportRecords({
          manager: t.store.dataSource.manager,
          filter: { space: 'nb201', dataset: 'cifar10-valid', protocol: null },
          metrics: null,
          format,
          seeds,
          pageRows,
        }))
          chunks.push(chunk);
        return { bytes: Buffer.concat(chunks), chunks: chunks.length };
      };
      for (const format of ['csv', 'parquet'] as const) {
        const paged = await read(format, 7);
        const whole = await read(format, 100_000);
        expect(paged.bytes.equals(whole.bytes)).toBe(true);
        if (format === 'csv') expect(paged.chunks).toBeGreaterThan(10);
      }
    },
  );

  it.each([
    ['per-seed runs (and a protocol with seeds and a published mean)', 'cifar10-valid'],
    ['published seed means', 'cifar100'],
  ])("holds by default one row per architecture and protocol with table's seed means: %s", async (_, dataset) => {
    const { response, bytes } = await get(`/export/nb201/${dataset}?metrics=validAcc,testAcc`);
    expect(response.status).toBe(200);
    const [header, ...lines] = bytes.toString('utf8').trim().split('\n');
    const columns = header.split(',');
    const rows = lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])));
    const all = (await get(`/export/nb201/${dataset}?seeds=ALL&metrics=validAcc`)).bytes.toString('utf8');
    const targets = new Set(
      all
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',').slice(1, 6).join(',')),
    );
    expect(rows.length).toBe(targets.size);
    expect(rows.every((row) => row.seed === '')).toBe(true);
    const archIds = rows.map((row) => row.arch_id);
    expect(archIds).toEqual([...archIds].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    for (const protocol of new Set(rows.map((row) => row.protocol))) {
      const mine = rows.filter((row) => row.protocol === protocol);
      const res = await graphqlRequest<{
        table: { archs: string[]; columns: Array<{ values: Array<number | null> }> };
      }>(
        t.url,
        `query($dataset: String!, $protocol: String!, $archs: [String!]) {
          table(space: "nb201", dataset: $dataset, protocol: $protocol, metrics: [VALID_ACC, TEST_ACC], archs: $archs) {
            archs columns { values } } }`,
        { dataset, protocol, archs: mine.map((row) => row.arch) },
      );
      expect(res.errors).toBeUndefined();
      const cell = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
      const [valid, test] = res.data!.table.columns.map((c) => c.values.map(cell));
      expect(mine.map((row) => [row.valid_acc, row.test_acc])).toEqual(valid.map((v, i) => [v, test[i]]));
    }
    expect(rows.filter((row) => row.valid_acc !== '').length).toBeGreaterThan(100);
    if (dataset === 'cifar10-valid') expect(rows.some((row) => row.seed_count === '2')).toBe(true);
  });

  it('answers bad input with HTTP 400 and a code, before any byte of a file', async () => {
    const cases: Array<[string, string]> = [
      ['/export/nb201/cifar10-valid?format=xlsx', 'INVALID_ARGUMENT'],
      ['/export/nb201/cifar10-valid?metrics=validAcc,noSuchMetric', 'INVALID_ARGUMENT'],
      ['/export/nb201/cifar10-valid?metrics=validAcc,VALID_ACC', 'INVALID_ARGUMENT'],
      ['/export/nb201/cifar10-valid?colour=red', 'INVALID_ARGUMENT'],
      ['/export/nb201/cifar10-valid?format=csv&format=parquet', 'INVALID_ARGUMENT'],
      ['/export/nb201/cifar10-valid?seeds=RANDOM', 'INVALID_ARGUMENT'],
      ['/export/nb201/cifar10-valid?seeds=', 'INVALID_ARGUMENT'],
      ['/export/nb201/no-such-dataset', 'UNKNOWN_DATASET'],
      ['/export/nb201/cifar10-valid?protocol=no-such', 'UNKNOWN_PROTOCOL'],
      ['/export/no-such-space/cifar10-valid', 'UNKNOWN_SPACE'],
      ['/export/nb201', 'INVALID_ARGUMENT'],
      ['/export/nb201/cifar10-valid/extra', 'INVALID_ARGUMENT'],
      ['/export/nb201/%E0%A4%A', 'INVALID_ARGUMENT'],
    ];
    for (const [path, code] of cases) {
      const { response, bytes } = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      const body = JSON.parse(bytes.toString('utf8')) as { errors: Array<{ extensions: { code: string } }> };
      expect({ path, code: body.errors[0].extensions.code }).toEqual({ path, code });
    }
    const post = await fetch(`${t.baseUrl}/export/nb201/cifar10-valid`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('answers HEAD from the cache of finished files, and If-None-Match: * with 304 without reading', async () => {
    const url = '/export/nb201/cifar10-valid?metrics=testAcc&format=csv';
    const first = await get(url);
    const etag = first.response.headers.get('etag');
    expect(etag).toMatch(/^"g\d+-/);
    const head = await fetch(`${t.baseUrl}${url}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(head.headers.get('x-nashub-export-cache')).toBe('hit');
    expect(head.headers.get('content-length')).toBe(String(first.bytes.length));
    expect(head.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const headRevalidated = await fetch(`${t.baseUrl}${url}`, { method: 'HEAD', headers: { 'if-none-match': etag! } });
    expect(headRevalidated.status).toBe(304);
    expect(headRevalidated.headers.get('etag')).toBe(etag);

    // `*` matches any current representation (RFC 9110 13.1.2): every export that parses has one.
    const other = '/export/nb201/cifar100?metrics=validAcc&format=parquet&seeds=ALL';
    const any = await fetch(`${t.baseUrl}${other}`, { headers: { 'if-none-match': '*' } });
    expect(any.status).toBe(304);
    expect(any.headers.get('etag')).toMatch(/^"g\d+-/);
    expect((await any.arrayBuffer()).byteLength).toBe(0);
    expect((await get(other)).response.headers.get('etag')).toBe(any.headers.get('etag'));
    const bad = await fetch(`${t.baseUrl}/export/nb201/cifar10-valid?format=xlsx`, {
      headers: { 'if-none-match': '*' },
    });
    expect(bad.status).toBe(400);
    const withKey = await fetch(`${t.baseUrl}${other}`, {
      headers: { 'if-none-match': '*', authorization: 'Bearer nh_any' },
    });
    expect(withKey.status).toBe(200);
    expect(withKey.headers.get('etag')).toBeNull();
    await withKey.arrayBuffer();
  });

  it('tags a file with the store generation, sends a repeat from memory and 304 on If-None-Match', async () => {
    const url = '/export/nb201/cifar100?metrics=validAcc&format=csv';
    const first = await get(url);
    const etag = first.response.headers.get('etag');
    expect(etag).toMatch(/^"g\d+-/);
    expect(first.response.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(first.response.headers.get('x-nashub-export-cache')).toBe('miss');
    const repeat = await get(url);
    expect(repeat.response.headers.get('x-nashub-export-cache')).toBe('hit');
    expect(repeat.response.headers.get('etag')).toBe(etag);
    expect(repeat.bytes.equals(first.bytes)).toBe(true);
    const parquet = await get('/export/nb201/cifar100?metrics=validAcc&format=parquet');
    expect(parquet.response.headers.get('etag')).not.toBe(etag);
    expect(parquet.response.headers.get('x-nashub-export-cache')).toBe('miss');
    const reread = await fetch(`${t.baseUrl}${url}`, { headers: { 'cache-control': 'no-cache' } });
    expect(reread.headers.get('x-nashub-export-cache')).toBe('miss');
    expect(Buffer.from(await reread.arrayBuffer()).equals(first.bytes)).toBe(true);

    const revalidated = await fetch(`${t.baseUrl}${url}`, { headers: { 'if-none-match': `"other", ${etag!}` } });
    expect(revalidated.status).toBe(304);
    expect((await revalidated.arrayBuffer()).byteLength).toBe(0);
    const malformed = await fetch(`${t.baseUrl}${url}`, { headers: { 'if-none-match': 'no quotes' } });
    expect(malformed.status).toBe(400);
    const body = (await malformed.json()) as { errors: Array<{ extensions: { code: string; argument: string } }> };
    expect(body.errors[0].extensions).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'If-None-Match' });

    // A write bumps the generation: the file is read again, with the new values, under a new ETag.
    await t.store.dataSource.query(`UPDATE run SET valid_acc = valid_acc + 1 WHERE seed IS NULL`);
    try {
      const deadline = Date.now() + 5_000;
      let after = await get(url);
      while (after.response.headers.get('etag') === etag && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        after = await get(url);
      }
      expect(after.response.headers.get('etag')).not.toBe(etag);
      expect(after.response.headers.get('x-nashub-export-cache')).toBe('miss');
      expect(after.bytes.equals(first.bytes)).toBe(false);
      const stale = await fetch(`${t.baseUrl}${url}`, { headers: { 'if-none-match': etag! } });
      expect(stale.status).toBe(200);
      await stale.arrayBuffer();
    } finally {
      await t.store.dataSource.query(`UPDATE run SET valid_acc = valid_acc - 1 WHERE seed IS NULL`);
    }
  });
});
