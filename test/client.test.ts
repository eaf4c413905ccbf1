import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NashubClient, NashubClientError, RecordsDocument } from '../src/client';
import { importApiFixtures } from './support/api-fixtures';
import { fakeAcc, nb201Archs } from './support/nb201-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';

/** Global fetch, counting the requests that go through it. */
function countingFetch(): { fetch: typeof fetch; count: () => number } {
  let n = 0;
  return {
    fetch: (input, init) => {
      n++;
      return fetch(input, init);
    },
    count: () => n,
  };
}

/** A tiny HTTP proxy to `target` that answers the first `failures` requests itself with `status` (no body forwarded). */
async function flakyProxy(
  target: string,
  failures: number,
  status: number,
): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  const upstream = new URL(target);
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    if (hits <= failures) {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ errors: [{ message: 'server is shutting down', extensions: { code: 'SHUTTING_DOWN' } }] }),
      );
      return;
    }
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: upstream.pathname,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe(`NashubClient against a real server (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  const archs = nb201Archs(130);

  beforeAll(async () => {
    t = await startTestServer();
    await importApiFixtures(t.store.dataSource);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('batches the record lookups of one tick into one request and answers each in order', async () => {
    const counter = countingFetch();
    const client = new NashubClient({ url: t.url, fetch: counter.fetch });
    // 120 measured cells (seeds 1 and 2 on cifar10-valid, hp=200) and 10 that are not.
    const records = await Promise.all(
      archs.map((arch) => client.record({ space: 'nb201', arch, dataset: 'cifar10-valid' })),
    );
    expect(counter.count()).toBe(1);
    expect(records.slice(120)).toEqual(new Array(10).fill(null));
    for (const [i, record] of records.slice(0, 120).entries()) {
      expect(record).toMatchObject({ dataset: 'cifar10-valid', protocol: 'hp=200', n: 2, seeds: [1, 2] });
      expect(record!.validAcc).toBeCloseTo((fakeAcc(i, 1) + fakeAcc(i, 2)) / 2, 6);
    }
  });

  it('sends one request per (dataset, protocol, epoch) group of a tick', async () => {
    const counter = countingFetch();
    const client = new NashubClient({ url: t.url, fetch: counter.fetch });
    const [valid, c100] = await Promise.all([
      Promise.all(archs.slice(0, 3).map((arch) => client.record({ space: 'nb201', arch, dataset: 'cifar10-valid' }))),
      Promise.all(archs.slice(0, 3).map((arch) => client.record({ space: 'nb201', arch, dataset: 'cifar100' }))),
    ]);
    expect(counter.count()).toBe(2);
    expect(valid.map((r) => r?.dataset)).toEqual(['cifar10-valid', 'cifar10-valid', 'cifar10-valid']);
    expect(c100.map((r) => r?.isPublishedMean)).toEqual([true, true, true]);
  });

  it('turns a GraphQL error into NashubClientError with the server code, without retrying it', async () => {
    const counter = countingFetch();
    const client = new NashubClient({ url: t.url, fetch: counter.fetch, retries: 3, backoffMs: 1 });
    const error = await client.record({ space: 'nb201', arch: archs[0], dataset: 'no-such-dataset' }).catch((e) => e);
    expect(error).toBeInstanceOf(NashubClientError);
    expect(error.code).toBe('UNKNOWN_DATASET');
    expect(counter.count()).toBe(1);
    const bad = await client
      .request(RecordsDocument, { space: 'nb201', archs: ['|foo~0|'], dataset: 'cifar10-valid' })
      .catch((e) => e);
    expect(bad).toMatchObject({ code: 'INVALID_ARCHITECTURE' });
  });

  it('retries 503 answers with backoff and gets the answer through a proxy that fails twice', async () => {
    const proxy = await flakyProxy(t.url, 2, 503);
    try {
      const client = new NashubClient({ url: proxy.url, backoffMs: 5 });
      const record = await client.record({ space: 'nb201', arch: archs[0], dataset: 'cifar10-valid' });
      expect(record?.n).toBe(2);
      expect(proxy.hits()).toBe(3);
    } finally {
      await proxy.close();
    }
  });

  it('gives up after its retries with the last answer’s code', async () => {
    const proxy = await flakyProxy(t.url, 100, 503);
    try {
      const client = new NashubClient({ url: proxy.url, retries: 2, backoffMs: 1 });
      const error = await client.record({ space: 'nb201', arch: archs[0], dataset: 'cifar10-valid' }).catch((e) => e);
      expect(error).toMatchObject({ name: 'NashubClientError', code: 'SHUTTING_DOWN', status: 503 });
      expect(proxy.hits()).toBe(3);
    } finally {
      await proxy.close();
    }
  });

  it('retries network errors and ends with NETWORK_ERROR when nothing listens', async () => {
    const closed = await flakyProxy(t.url, 0, 200);
    await closed.close();
    const client = new NashubClient({ url: closed.url, retries: 2, backoffMs: 1 });
    const error = await client.record({ space: 'nb201', arch: archs[0], dataset: 'cifar10-valid' }).catch((e) => e);
    expect(error).toMatchObject({ name: 'NashubClientError', code: 'NETWORK_ERROR' });
    expect(error.message).toMatch(/after 3 tries/);
  });

  it('sends the key as a bearer token (a bad key is refused with the server code)', async () => {
    const client = new NashubClient({ url: t.url, key: 'nh_not-a-key' });
    const error = await client.record({ space: 'nb201', arch: archs[0], dataset: 'cifar10-valid' }).catch((e) => e);
    expect(error).toBeInstanceOf(NashubClientError);
    expect(error.code).toBe('UNAUTHENTICATED');
  });
});
