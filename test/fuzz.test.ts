import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, createRng } from '../src/core';
import { buildNashubSchema } from '../src/server/build-schema';
import { DEFAULT_LIMITS } from '../src/server/limit/api-limits';
import { openStore } from '../src/store';
import { createApiKey } from '../src/store/api-key';
import { createProtocol } from '../src/store/catalog/catalog';
import { importFile, resolveMapping } from '../src/store/import';
import { JobQueue } from '../src/store/queue';
import { API_FIXTURE, importApiFixtures } from './support/api-fixtures';
import { createFuzzer, type FuzzRequest } from './support/fuzz/fuzz-request';
import { nb201Archs, nb201Isomorphs, runsMapping } from './support/nb201-fixtures';
import { sampleHealthz } from './support/sample-healthz';
import { spawnNashub, waitForOutput, type NashubProcess } from './support/spawn-nashub';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

/** Requests per run: a few thousand, one to two and a half minutes on this (shared, loaded) 2-core machine. */
const REQUESTS = 2_000;
const CONCURRENCY = 2;
/** Change to explore; a failure prints the seed's reproducers. */
const SEED = 16;
/** Every `extensions.code` the API may answer with; INTERNAL_SERVER_ERROR is a bug. */
const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);
/**
 * How long /healthz may take, at most, during the run. PostgreSQL: a second. PGlite runs each SQL statement on the
 * server's own thread, where nothing can interrupt it: on this 2-core machine, loaded by other test runs, the run's
 * longest statements held a health check up to 1.1-1.7 s, so PGlite is given two.
 */
const HEALTHZ_BOUND_MS = onPostgres ? 1_000 : 2_000;
/** `nashub serve`'s default body limit. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** The server's resident memory, at most, through the run. */
const MAX_SERVER_RSS_BYTES = 1.5 * 1024 ** 3;
const NONE_CELL = '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|';

describe(`fuzzing the API over HTTP (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase;
  let server: NashubProcess;
  let baseUrl: string;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    const store = await openStore({ config: database.config });
    try {
      await importApiFixtures(store.dataSource);
      // An isomorphism class of 341 cells, so that isomorphs lists are long enough to matter (seed 9: the API fixture
      // holds seeds 1 and 2 of some of these cells).
      const dir = mkdtempSync(join(tmpdir(), 'nashub-fuzz-'));
      try {
        const file = join(dir, 'class.csv');
        const rows = nb201Isomorphs(NONE_CELL).map(
          ({ index, arch }) => `${index},${arch},cifar10-valid,9,${10 + (index % 7)}`,
        );
        writeFileSync(file, ['arch_index,arch_str,dataset,seed,valid_acc', ...rows].join('\n'));
        await importFile({
          dataSource: store.dataSource,
          space: 'nb201',
          file,
          mapping: resolveMapping(runsMapping),
          replace: false,
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      for (const role of ['publisher', 'trainer', 'admin'] as const)
        keys[role] = (await createApiKey(store.dataSource.manager, { name: `fuzz-${role}`, role })).key;
      await createProtocol(store.dataSource.manager, {
        name: 'fuzz-e2',
        epochs: 2,
        hyperparameters: { dataset: 'cifar10-valid', C: 8, N: 1 },
        description: '',
      });
      // The job queue creates its tables on first use: not while /healthz is timed.
      await (await JobQueue.open(store)).stop();
    } finally {
      await store.close();
    }
    // The server runs in its own process, so its event loop and memory are its own; no fit worker (fits are not
    // served in the request path, and a fuzzer's fitPredictor calls would otherwise train models here).
    server = spawnNashub(['serve', '--port', '0', '--no-worker'], { ...database.env, NODE_ENV: 'production' });
    const [, url] = await waitForOutput(server, /API on (http:\/\/\S+)\/graphql/);
    baseUrl = url.replace('localhost', '127.0.0.1');
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await database?.drop();
  });

  const send = async (request: FuzzRequest): Promise<{ status: number; text: string } | null> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (request.role) headers.authorization = `Bearer ${request.role === 'bad' ? 'nh_not_a_key' : keys[request.role]}`;
    try {
      const res =
        request.method === 'GET'
          ? await fetch(`${baseUrl}/graphql?query=${encodeURIComponent(request.body)}`, {
              headers: { 'apollo-require-preflight': 'true' },
            })
          : await fetch(`${baseUrl}/graphql`, { method: 'POST', headers, body: request.body });
      return { status: res.status, text: await res.text() };
    } catch (error) {
      // The server answers 413 as soon as a body passes the limit and may close the connection under the upload.
      if (Buffer.byteLength(request.body) > MAX_BODY_BYTES) return null;
      return { status: 599, text: `connection failed: ${String((error as Error).cause ?? error)}` };
    }
  };

  /** What is wrong with an answer, or null. */
  const fault = (status: number, text: string): string | null => {
    if (status >= 500) return `HTTP ${status}`;
    if (Buffer.byteLength(text) > DEFAULT_LIMITS.maxResponseBytes)
      return `response of ${Buffer.byteLength(text)} bytes`;
    let body: { errors?: Array<{ message?: string; extensions?: { code?: unknown } }> };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return 'response is not JSON';
    }
    for (const error of body.errors ?? []) {
      const code = error.extensions?.code;
      if (typeof code !== 'string' || !KNOWN_CODES.has(code))
        return `error code ${String(code)} (${String(error.message).slice(0, 200)})`;
    }
    return null;
  };

  /** The server process's resident memory (Linux). */
  const serverRss = (): number => {
    const match = readFileSync(`/proc/${server.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return match ? Number(match[1]) * 1024 : 0;
  };

  it(`answers ${REQUESTS} random requests (seed ${SEED}) with known codes, no 500, within the response cap, while /healthz answers in time`, async () => {
    const next = createFuzzer({
      schema: await buildNashubSchema(),
      rng: createRng(SEED),
      known: {
        archs: [...nb201Archs(API_FIXTURE.cells), NONE_CELL],
        spaces: ['nb201', 'nb101', 'darts'],
        datasets: ['cifar10-valid', 'cifar100'],
        protocols: ['hp=200', 'p3', 'fuzz-e2'],
      },
    });
    // Written before the clock starts: the test process's own work must not delay its health checks.
    const requests = Array.from({ length: REQUESTS }, next);
    const faults: string[] = [];
    const kinds = new Map<string, number>();
    const statuses = new Map<number, number>();
    const check = async (request: FuzzRequest) => {
      const answer = await send(request);
      kinds.set(request.kind, (kinds.get(request.kind) ?? 0) + 1);
      const { status, text } = answer ?? { status: 413, text: '{}' };
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const problem = fault(status, text);
      if (problem)
        faults.push(
          `${problem} for ${request.kind} ${request.role ?? ''} ${request.body.slice(0, 400)} -> ${text.slice(0, 300)}`,
        );
    };

    // Warm up (JIT, caches) before the clock matters.
    const warmUp = 30;
    for (const request of requests.slice(0, warmUp)) await check(request);
    let rssMax = serverRss();
    const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, serverRss())), 100);
    const healthz = sampleHealthz(baseUrl, 100);
    let sent = warmUp;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < requests.length) await check(requests[sent++]!);
      }),
    );
    const health = await healthz.stop();
    clearInterval(rssTimer);

    console.log(
      JSON.stringify({
        fuzz: {
          seed: SEED,
          requests: REQUESTS,
          statuses: Object.fromEntries(statuses),
          kinds: Object.fromEntries(kinds),
          healthz: health,
          serverRssMiB: Math.round(rssMax / 2 ** 20),
          faults: faults.length,
        },
      }),
    );
    expect(faults.slice(0, 10).join('\n')).toBe('');
    expect(server.child.exitCode).toBeNull();
    expect(health.failures).toBe(0);
    expect(health.samples).toBeGreaterThan(10);
    expect(health.maxMs).toBeLessThan(HEALTHZ_BOUND_MS);
    expect(rssMax).toBeLessThan(MAX_SERVER_RSS_BYTES);
    // The run reached the server's work, not only its refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(REQUESTS / 10);
    expect(kinds.size).toBeGreaterThan(8);
  }, 600_000);
});
