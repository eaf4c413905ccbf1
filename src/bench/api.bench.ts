import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ErrorCode, NashubError, createRng } from '../core';
import { startServer } from '../server';
import { DEFAULT_LIMITS } from '../server/limit/api-limits';
import { openStore, redactUrl, type StoreConfig } from '../store';
import { importFile, resolveMapping } from '../store/import';
import { loadMappingFile } from '../store/import/load-mapping-file';
import { checkAnswers } from './api/check-answers';
import { runClosedLoop, type ClosedLoopResult } from './api/closed-loop';
import { createFreshDatabase } from './fresh-database';
import { SINGLE_QUERY, batchBody, randomBatches, singleBodies, tableBody } from './api/graphql-bodies';
import { sweepTable, type SweepResult } from './api/table-sweep';
import { timeExports, type TimeExportsResult } from './api/time-exports';
import { timeNotModified, type NotModifiedTiming } from './api/time-not-modified';
import { summarizeLatencies } from './api/latency-summary';
import { measurePhase } from './api/measure-phase';
import {
  createRawRecordQueries,
  resolveRawRecordTarget,
  type RawRecordQueries,
  type RawRecordTarget,
} from './api/raw-record-queries';
import { runHttpLoad, type HttpLoadResult } from './api/run-http-load';
import type { SqlRunner } from './api/sql-runner';
import { RAW_MEANING, withRawRunner } from './api/with-raw-runner';
import { LOAD_CLIENTS, type LoadClient } from './api/load-client';

/** Options of {@link runApiBench}. */
export interface ApiBenchOptions {
  /** Folder with nb201_runs.csv, nb201_summary.csv and nb201_curves_cifar10-valid.jsonl. */
  dataDir: string;
  /** PostgreSQL server to run on, in a database the bench creates and drops; PGlite in a temp folder when absent. */
  databaseUrl?: string;
  /** Run ANALYZE after the import, as autovacuum eventually would on PostgreSQL (PGlite has no autovacuum). */
  analyze: boolean;
  /** Concurrent clients of the single-architecture workloads (HTTP and raw). */
  concurrency: number;
  /** Concurrent clients of the batch workloads (HTTP and raw). */
  batchConcurrency: number;
  /** Architectures per batch request. */
  batchSize: number;
  /** Measured seconds of each workload. */
  durationS: number;
  /** Unmeasured seconds before each workload. */
  warmupS: number;
  /** Write one V8 CPU profile of the bench process's main thread (server, or raw client) per workload here. */
  cpuProfileDir?: string;
  /** Also measure the columnar read: `table` batches and sweep, /export, 304s (false: single and batch lookups only). */
  table: boolean;
  /** The HTTP client of the closed-loop loads (single, batch, table). */
  loadClient: LoadClient;
}

const SPACE = 'nb201';
const DATASET = 'cifar10-valid';
const FILES: Array<[string, string]> = [
  ['nb201_runs.csv', 'nb201/runs'],
  ['nb201_summary.csv', 'nb201/summary'],
  ['nb201_curves_cifar10-valid.jsonl', 'nb201/curves-cifar10-valid'],
];
/** The whole NB201 table of the summary file: the sweep `tableSweepSeconds` times (VALID_ACC and TEST_ACC of each). */
const SWEEP_TARGETS = [
  { dataset: 'cifar10-valid', protocol: 'hp=200' },
  { dataset: 'cifar10-valid', protocol: 'hp=12' },
  { dataset: 'cifar100', protocol: 'hp=200' },
  { dataset: 'cifar100', protocol: 'hp=12' },
];
/** The GET the 304 timing revalidates: a sweep's page of 1,000 architectures. */
const TABLE_PAGE_QUERY =
  '{ table(space: "nb201", dataset: "cifar10-valid", metrics: [VALID_ACC, TEST_ACC], first: 1000) { archs columns { values } } }';
/** Distinct prepared batches; each batch request picks one. */
const BATCH_BODIES = 16;

/**
 * `nashub bench api`: imports NB201 into a fresh database, starts the real API server in-process, and measures single
 * and batch lookups over HTTP side by side with the equivalent hand-written SQL on the same database.
 */
export async function runApiBench(options: ApiBenchOptions): Promise<Record<string, unknown>> {
  const database = await createFreshDatabase('apibench', options.databaseUrl);
  try {
    const started = performance.now();
    await importNb201(database.config, options);
    const importSeconds = round((performance.now() - started) / 1000, 1);
    const loadAvg1mBefore = round(loadavg()[0], 2);
    const measured = await measureApi(database.config, options);
    return {
      ...measured,
      setup: {
        database: database.config.kind,
        server: options.databaseUrl ? redactUrl(options.databaseUrl) : null,
        raw: RAW_MEANING[database.config.kind],
        analyzed: options.analyze,
        concurrency: options.concurrency,
        batchConcurrency: options.batchConcurrency,
        batchSize: options.batchSize,
        durationS: options.durationS,
        warmupS: options.warmupS,
        cpus: cpus().length,
        node: process.version,
        // graphql-js checks every type's identity the slow way unless NODE_ENV is production (the Docker image's).
        nodeEnv: process.env.NODE_ENV ?? null,
        // The server runs in this process: its V8 flags are this process's (the Docker image and `npm start` give the
        // API server --single-threaded-gc; a bench run without it measures the server with V8's default).
        nodeFlags: process.execArgv,
        loadAvg1mBefore,
        loadAvg1mAfter: round(loadavg()[0], 2),
        importSeconds,
        loadGenerator: `${LOAD_CLIENTS[options.loadClient]}; the server runs in the bench process`,
      },
    };
  } finally {
    await database.drop();
  }
}

async function importNb201(config: StoreConfig, options: ApiBenchOptions): Promise<void> {
  const store = await openStore({ config });
  try {
    for (const [file, preset] of FILES) {
      const mapping = resolveMapping(loadMappingFile(preset));
      await importFile({
        dataSource: store.dataSource,
        space: SPACE,
        file: join(options.dataDir, file),
        mapping,
        replace: false,
      });
    }
    if (options.analyze) await store.dataSource.query('ANALYZE');
  } finally {
    await store.close();
  }
}

/** The architectures a run draws from, and its prepared batches. */
interface Workload {
  /** Canonical text, for GraphQL. */
  archs: string[];
  /** The same architectures' stored hashes, for SQL. */
  hashes: string[];
  /** Batches as indices into both. */
  batches: number[][];
}

type Measured<T> = T & { cpuMs: number };
type Loads<T> = { single: Measured<T>; batch: Measured<T> };
/** The raw baseline's loads: {@link Loads}, and the batch again from the kept seed means. */
type RawLoads = Loads<ClosedLoopResult> & { batchSummary: Measured<ClosedLoopResult> };
/** The columnar read's measurements. */
type TableLoads = {
  batch: Measured<HttpLoadResult>;
  sweep: SweepResult;
  exports: Record<'csv' | 'parquet' | 'warmCsv' | 'warmParquet' | 'allCsv' | 'allParquet', TimeExportsResult>;
  notModified: { page: NotModifiedTiming; single: NotModifiedTiming };
};

/** The measurements of {@link runApiBench} on a database that already holds the NB201 import. */
export async function measureApi(config: StoreConfig, options: ApiBenchOptions): Promise<Record<string, unknown>> {
  const loop = { warmupMs: options.warmupS * 1000, durationMs: options.durationS * 1000 };
  const client = { ...loop, client: options.loadClient };
  const store = await openStore({ config });
  let workload: Workload;
  let target: RawRecordTarget;
  let http: Loads<HttpLoadResult>;
  let table: TableLoads | undefined;
  try {
    const rows: Array<{ arch: string; hash: string }> = await store.dataSource.query(
      'SELECT arch, hash FROM architecture WHERE space = $1 ORDER BY id',
      [SPACE],
    );
    const archs = rows.map((r) => r.arch);
    if (options.batchSize > Math.min(archs.length, DEFAULT_LIMITS.maxArchs)) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `batch size ${options.batchSize} exceeds the ${Math.min(archs.length, DEFAULT_LIMITS.maxArchs)} architectures a batch can hold`,
        {
          details: { option: '--batch-size', value: options.batchSize },
        },
      );
    }
    const batches = randomBatches({ keys: archs, size: options.batchSize, count: BATCH_BODIES, rng: createRng(1) });
    workload = { archs, hashes: rows.map((r) => r.hash), batches };
    target = await resolveRawRecordTarget(store.dataSource.manager, SPACE, DATASET);
    const storeQueries = createRawRecordQueries(storeRunner(store.dataSource), target);

    const logger = pino({ level: 'silent' });
    const server = await startServer({
      store,
      port: 0,
      host: '127.0.0.1',
      maxBodyBytes: 4 * 1024 * 1024,
      production: true,
      limits: DEFAULT_LIMITS,
      logger,
    });
    const url = `http://127.0.0.1:${server.port}/graphql`;
    try {
      await checkAnswers({ url, archs, hashes: workload.hashes, batch: batches[0], raw: storeQueries });
      const single = await measurePhase({ name: 'http-single', cpuProfileDir: options.cpuProfileDir }, (onWindow) =>
        runHttpLoad(
          { url, bodies: singleBodies(archs), concurrency: options.concurrency, seed: 2, ...client },
          onWindow,
        ),
      );
      const batchBodies = batches.map((b) => batchBody(b.map((i) => archs[i])));
      const batch = await measurePhase({ name: 'http-batch', cpuProfileDir: options.cpuProfileDir }, (onWindow) =>
        runHttpLoad({ url, bodies: batchBodies, concurrency: options.batchConcurrency, seed: 3, ...client }, onWindow),
      );
      http = { single, batch };
      if (options.table)
        table = await measureTable({ url, port: server.port, archs, rows, batches, storeQueries, options });
    } finally {
      await server.stop();
    }
  } finally {
    await store.close();
  }
  const raw = await withRawRunner(config, options.concurrency, async (run) =>
    runRawLoads(createRawRecordQueries(run, target), workload, options),
  );
  return report({ http, raw, table, batchSize: options.batchSize });
}

/** What {@link measureTable} reads: the running server and the prepared workload. */
interface TableWorkload {
  url: string;
  port: number;
  archs: string[];
  rows: Array<{ arch: string; hash: string }>;
  batches: number[][];
  storeQueries: RawRecordQueries;
  options: ApiBenchOptions;
}

/** The columnar read's workloads against a running server: `table` batches and sweep, /export, 304s. */
async function measureTable(w: TableWorkload): Promise<TableLoads> {
  const { url, archs, rows, batches, storeQueries, options } = w;
  const loop = { warmupMs: options.warmupS * 1000, durationMs: options.durationS * 1000 };
  const client = { ...loop, client: options.loadClient };
  await checkTableAnswer(
    url,
    batches[0].map((i) => archs[i]),
    await storeQueries.batch(batches[0].map((i) => rows[i].hash)),
  );
  const tableBodies = batches.map((b) => tableBody(b.map((i) => archs[i])));
  const tableBatch = await measurePhase({ name: 'http-table', cpuProfileDir: options.cpuProfileDir }, (onWindow) =>
    runHttpLoad({ url, bodies: tableBodies, concurrency: options.batchConcurrency, seed: 5, ...client }, onWindow),
  );
  const sweepOptions = {
    url,
    space: SPACE,
    targets: SWEEP_TARGETS,
    metrics: ['VALID_ACC', 'TEST_ACC'],
    pageSize: DEFAULT_LIMITS.maxTablePage,
  };
  await sweepTable(sweepOptions); // warm-up: the first pass compiles the code paths and fills caches
  const sweep = await sweepTable(sweepOptions);
  const baseUrl = `http://127.0.0.1:${w.port}`;
  const exportOptions = { baseUrl, space: SPACE, targets: SWEEP_TARGETS, metrics: 'validAcc,testAcc' };
  // Warm-up, as for the sweep; cold exports ask the server to read and encode again (no-cache), warm ones get the
  // files the cold ones left in the server's cache of finished exports (the same store generation).
  await timeExports({ ...exportOptions, format: 'parquet', seeds: 'MEAN', reread: true });
  const cold = { seeds: 'MEAN', reread: true } as const;
  const exports = {
    csv: await timeExports({ ...exportOptions, ...cold, format: 'csv' }),
    parquet: await timeExports({ ...exportOptions, ...cold, format: 'parquet' }),
    warmCsv: await timeExports({ ...exportOptions, format: 'csv', seeds: 'MEAN', reread: false }),
    warmParquet: await timeExports({ ...exportOptions, format: 'parquet', seeds: 'MEAN', reread: false }),
    allCsv: await timeExports({ ...exportOptions, format: 'csv', seeds: 'ALL', reread: true }),
    allParquet: await timeExports({ ...exportOptions, format: 'parquet', seeds: 'ALL', reread: true }),
  };
  // Warmed up as the other workloads are; more requests than the first version's 50 and 200, for a steadier mean.
  const { warmupMs } = loop;
  const notModified = {
    page: await timeNotModified({ url, query: TABLE_PAGE_QUERY, variables: {}, requests: 200, warmupMs }),
    single: await timeNotModified({ url, query: SINGLE_QUERY, variables: { a: archs[0] }, requests: 500, warmupMs }),
  };
  return { batch: tableBatch, sweep, exports, notModified };
}

function report(m: {
  http: Loads<HttpLoadResult>;
  raw: RawLoads;
  table: TableLoads | undefined;
  batchSize: number;
}): Record<string, unknown> {
  const { http, raw, table, batchSize } = m;
  const cpuPer = (r: Measured<ClosedLoopResult>, cpuMs = r.cpuMs): number => round(cpuMs / Math.max(1, r.completed), 3);
  const single = summarizeLatencies(http.single.latenciesMs);
  const rawSingle = summarizeLatencies(raw.single.latenciesMs);
  return {
    singleRps: Math.round(perS(http.single)),
    singleP50Ms: single.p50Ms,
    singleP99Ms: single.p99Ms,
    batchKeysPerS: Math.round(perS(http.batch, batchSize)),
    rawPgSingleTps: Math.round(perS(raw.single)),
    rawPgBatchKeysPerS: Math.round(perS(raw.batch, batchSize)),
    batchRatio: round(perS(http.batch) / perS(raw.batch), 3),
    // The same keys' values read raw from run_seed_mean, the summary `record { validAcc }` reads since issue 17's
    // round 4: batchRatio divides by SQL that aggregates the runs, this by SQL that reads what the API reads.
    rawPgBatchSummaryKeysPerS: Math.round(perS(raw.batchSummary, batchSize)),
    batchSummaryRatio: round(perS(http.batch) / perS(raw.batchSummary), 3),
    singleRatio: round(perS(http.single) / perS(raw.single), 3),
    singleP99Ratio: round(single.p99Ms / rawSingle.p99Ms, 3),
    ...(table && reportTable(table, raw.batch, batchSize)),
    rawPgSingleP50Ms: rawSingle.p50Ms,
    rawPgSingleP99Ms: rawSingle.p99Ms,
    batchP50Ms: summarizeLatencies(http.batch.latenciesMs).p50Ms,
    rawPgBatchP50Ms: summarizeLatencies(raw.batch.latenciesMs).p50Ms,
    rawPgBatchSummaryP50Ms: summarizeLatencies(raw.batchSummary.latenciesMs).p50Ms,
    // CPU milliseconds per request in the measured window, less sensitive than throughput to other work on a shared
    // machine. The bench process is the server for http* and the SQL client for raw* (on PGlite, the database too).
    cpuMsPerRequest: {
      httpSingleServer: cpuPer(http.single),
      httpSingleClient: cpuPer(http.single, http.single.clientCpuMs),
      httpBatchServer: cpuPer(http.batch),
      httpBatchClient: cpuPer(http.batch, http.batch.clientCpuMs),
      ...(table && { httpTableServer: cpuPer(table.batch) }),
      rawSingle: cpuPer(raw.single),
      rawBatch: cpuPer(raw.batch),
      rawBatchSummary: cpuPer(raw.batchSummary),
    },
    requests: {
      httpSingle: http.single.completed,
      httpBatch: http.batch.completed,
      ...(table && { httpTable: table.batch.completed }),
      rawSingle: raw.single.completed,
      rawBatch: raw.batch.completed,
      rawBatchSummary: raw.batchSummary.completed,
    },
  };
}

/** The columnar read's fields of the report. */
function reportTable(table: TableLoads, rawBatch: ClosedLoopResult, batchSize: number): Record<string, unknown> {
  return {
    tableKeysPerS: Math.round(perS(table.batch, batchSize)),
    tableRatio: round(perS(table.batch) / perS(rawBatch), 3),
    tableSweepSeconds: round(table.sweep.seconds, 3),
    tableSweepRows: table.sweep.rows.reduce((a, b) => a + b, 0),
    tableSweepRequests: table.sweep.requests,
    // The same four (dataset, protocol) tables through /export: seeds=MEAN (the default), one row per architecture,
    // read and encoded (cold: Cache-Control: no-cache), then sent again from the server's cache (warm).
    exportSeconds: round(Math.max(table.exports.csv.seconds, table.exports.parquet.seconds), 3),
    exportCsvSeconds: round(table.exports.csv.seconds, 3),
    exportParquetSeconds: round(table.exports.parquet.seconds, 3),
    exportCsvBytes: table.exports.csv.bytes,
    exportParquetBytes: table.exports.parquet.bytes,
    exportWarmSeconds: round(Math.max(table.exports.warmCsv.seconds, table.exports.warmParquet.seconds), 3),
    exportWarmCsvSeconds: round(table.exports.warmCsv.seconds, 3),
    exportWarmParquetSeconds: round(table.exports.warmParquet.seconds, 3),
    exportWarmCacheHits: table.exports.warmCsv.cacheHits + table.exports.warmParquet.cacheHits,
    // seeds=ALL: every complete run (published means and seeds) as rows, the bytes `publish` writes.
    exportAllCsvSeconds: round(table.exports.allCsv.seconds, 3),
    exportAllParquetSeconds: round(table.exports.allParquet.seconds, 3),
    exportAllCsvBytes: table.exports.allCsv.bytes,
    // One client, GET of an automatic persisted query: mean 304 time over mean full-answer time, alternating.
    notModifiedRatio: round(table.notModified.page.ratio, 3),
    notModified: {
      pageFullMs: round(table.notModified.page.fullMs, 3),
      pageNotModifiedMs: round(table.notModified.page.notModifiedMs, 3),
      pageBytes: table.notModified.page.bytes,
      singleFullMs: round(table.notModified.single.fullMs, 3),
      singleNotModifiedMs: round(table.notModified.single.notModifiedMs, 3),
      singleRatio: round(table.notModified.single.ratio, 3),
    },
  };
}

async function runRawLoads(queries: RawRecordQueries, workload: Workload, options: ApiBenchOptions): Promise<RawLoads> {
  const loop = { warmupMs: options.warmupS * 1000, durationMs: options.durationS * 1000 };
  const rng = createRng(4);
  const batchHashes = workload.batches.map((b) => b.map((i) => workload.hashes[i]));
  const single = await measurePhase({ name: 'raw-single', cpuProfileDir: options.cpuProfileDir }, (onWindow) =>
    runClosedLoop({
      onWindow,
      concurrency: options.concurrency,
      ...loop,
      request: async () => {
        if ((await queries.single(workload.hashes[rng.int(workload.hashes.length)])) === null)
          throw new Error('raw single lookup found nothing');
      },
    }),
  );
  const batchOf = (name: string, lookup: RawRecordQueries['batch']) =>
    measurePhase({ name, cpuProfileDir: options.cpuProfileDir }, (onWindow) =>
      runClosedLoop({
        onWindow,
        concurrency: options.batchConcurrency,
        ...loop,
        request: async () => {
          if ((await lookup(batchHashes[rng.int(batchHashes.length)])).includes(null))
            throw new Error(`${name} lookup missed keys`);
        },
      }),
    );
  const batch = await batchOf('raw-batch', queries.batch);
  const batchSummary = await batchOf('raw-batch-summary', queries.batchSummary);
  return { single, batch, batchSummary };
}

/** Throws unless `table` gives the raw batch's values for these architectures, in order. */
async function checkTableAnswer(url: string, archs: string[], expected: Array<number | null>): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: tableBody(archs),
  });
  const text = await response.text();
  const values = (JSON.parse(text) as { data?: { table: { columns: Array<{ values: Array<number | null> }> } } }).data
    ?.table.columns[0].values;
  const wrong = values?.findIndex((v, i) => v === null || expected[i] === null || Math.abs(v - expected[i]!) > 1e-9);
  if (!values || values.length !== archs.length || wrong !== -1)
    throw new Error(`table check failed at ${wrong}: ${text.slice(0, 500)}`);
}

function storeRunner(dataSource: { query(sql: string, params: unknown[]): Promise<unknown> }): SqlRunner {
  return (sql, params) => dataSource.query(sql, params) as Promise<Array<Record<string, unknown>>>;
}

/** Requests (or keys, `keys` a request) per second of a closed loop. */
function perS(r: ClosedLoopResult, keys = 1): number {
  return (r.completed * keys) / r.seconds;
}

function round(value: number, digits = 0): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
