import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import pino from 'pino';
import { findSearchPreset } from '../search/preset/search-presets';
import { startServer, type RunningServer } from '../server';
import { DEFAULT_LIMITS } from '../server/limit/api-limits';
import { openStore, type Store } from '../store';
import { createApiKey } from '../store/api-key';
import { importFile, resolveMapping } from '../store/import';
import { loadMappingFile } from '../store/import/load-mapping-file';
import { summarizeCpuProfile } from './api/summarize-cpu-profile';
import { profilePhase } from './api/profile-phase';
import { createFreshDatabase, type FreshDatabase } from './fresh-database';
import { createRemoteRun, readRemoteRun, spawnRemoteWorker, type RemoteRunInput } from './search-remote-run';
import type { RemoteWorkerReport } from './search-remote-worker';

/** Options of {@link runRemoteSearchBench}. */
export interface RemoteSearchBenchOptions {
  preset: string;
  strategy: string;
  seed: number;
  workers: number;
  /** Trials each worker asks for at once (runWorker's n); default 1. */
  trialsPerAsk?: number;
  /** The workers' client transport (default http, the client's default). */
  transport?: 'http' | 'fetch';
  /** Workers tell and ask in two requests instead of runWorker's default `tellAndAsk`. */
  separateTell?: boolean;
  /**
   * Milliseconds each evaluation takes before the worker tells it (a stand-in for training; default 0: tell at once,
   * the server saturated). Sets the load the latencies are measured at.
   */
  evaluationMs?: number;
  budgetEvaluations?: number;
  budgetSeconds?: number;
  /**
   * Trials of an untimed warm-up run the same workers finish first (default 1,000; 0: none): the measured run then
   * sees the server, its table and the workers in steady state, not their start-up (JIT, first table load).
   */
  warmupEvaluations?: number;
  /** An existing server (with the preset's data) and a trainer key; else a server is started in this process. */
  url?: string;
  key?: string;
  /** For the in-process server: a fresh database on this PostgreSQL server, or (undefined) a fresh PGlite folder. */
  postgresUrl?: string;
  /** For the in-process server: the preset's table (e.g. ../shared/data/nb201/nb201_summary.csv). */
  data?: string;
  /** Write the in-process server's CPU profile here (and summarise it in the JSON). */
  cpuProfileDir?: string;
}

/**
 * `--evaluation-ms` is a mean: each evaluation takes it × [0.5, 1.5], drawn uniformly. Equal evaluations would keep
 * workers that start together in step for the whole run (all telling at once, the last one waiting for the other
 * seven), which trainings of different architectures never are.
 */
const EVALUATION_SPREAD = 0.5;

/** Percentiles of latencies in milliseconds (nearest rank). */
export interface Percentiles {
  n: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/**
 * `nashub bench search --remote`: W worker processes share one TABLE run over HTTP, asking and telling as fast as the
 * server answers (each tells the trial's `simulated` value at once). Reports asks+tells per second, ask and tell
 * latency percentiles, empty asks, duplicates (a trial handed out twice or told twice: must be 0), the run's end
 * state, and the machine. The workers first finish an untimed warm-up run together, then wait and start the timed
 * run at once. Never fails on timing.
 */
export async function runRemoteSearchBench(options: RemoteSearchBenchOptions): Promise<Record<string, unknown>> {
  const preset = findSearchPreset(options.preset);
  const loadBefore = loadavg().map((l) => round(l, 2));
  let fresh: FreshDatabase | null = null;
  let store: Store | null = null;
  let server: RunningServer | null = null;
  let importSeconds: number | null = null;
  try {
    let url = options.url;
    let key = options.key;
    if (url === undefined) {
      fresh = await createFreshDatabase('search_remote', options.postgresUrl);
      store = await openStore({ config: fresh.config });
      const started = performance.now();
      await importFile({
        dataSource: store.dataSource,
        space: preset.data.space,
        file: options.data!,
        mapping: resolveMapping(loadMappingFile(preset.data.map)),
        replace: false,
      });
      importSeconds = round((performance.now() - started) / 1000, 2);
      // What autovacuum would do to the imported tables anyway, done now rather than in the middle of the timed run.
      // Not to the search tables: empty until the runs fill them, and analyzed empty their plans would be for none.
      const imported = (await store.dataSource.query(
        `SELECT quote_ident(relname) AS name FROM pg_class
          WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND relname NOT LIKE 'search\\_%'`,
      )) as Array<{ name: string }>;
      await store.dataSource.query(`VACUUM ANALYZE ${imported.map((t) => t.name).join(', ')}`);
      key = (await createApiKey(store.dataSource.manager, { name: 'bench-search-remote', role: 'trainer' })).key;
      server = await startServer({
        store,
        port: 0,
        host: '127.0.0.1',
        maxBodyBytes: 4 * 1024 * 1024,
        production: true,
        limits: DEFAULT_LIMITS,
        logger: pino({ level: 'silent' }),
      });
      url = `http://127.0.0.1:${server.port}/graphql`;
    }
    const input: RemoteRunInput = {
      preset: preset.name,
      strategy: options.strategy,
      seed: options.seed,
      mode: 'TABLE',
      ...(options.budgetEvaluations === undefined ? {} : { budgetEvaluations: options.budgetEvaluations }),
      ...(options.budgetSeconds === undefined ? {} : { budgetSeconds: options.budgetSeconds }),
    };
    const warmupEvaluations = options.warmupEvaluations ?? 1000;
    const warmupRun =
      warmupEvaluations > 0
        ? await createRemoteRun(url, key!, { ...input, budgetEvaluations: warmupEvaluations, budgetSeconds: undefined })
        : undefined;
    const run = await createRemoteRun(url, key!, input);
    // Every worker warms up (or just loads), says it is ready, and waits: the timed requests start together.
    const procs = Array.from({ length: options.workers }, (_, i) =>
      spawnRemoteWorker({
        url: url!,
        key: key!,
        run,
        worker: `bench-${i}`,
        n: options.trialsPerAsk ?? 1,
        transport: options.transport,
        tellAndAsk: !options.separateTell,
        sleepMs: options.evaluationMs ?? 0,
        sleepSpread: EVALUATION_SPREAD,
        seed: options.seed * 1000 + i,
        warmupRun,
        barrier: true,
      }),
    );
    try {
      await Promise.all(procs.map((p) => p.ready));
    } catch (error) {
      for (const p of procs) p.child.kill();
      throw error;
    }
    const work = async () => {
      for (const p of procs) p.go();
      const ends = await Promise.all(procs.map((p) => p.exited));
      return procs.map((p, i) => {
        const report = p.report();
        if (ends[i].code !== 0 || report === null)
          throw new Error(`worker bench-${i} ended ${JSON.stringify(ends[i])}: ${p.stderr().trim()}`);
        return report;
      });
    };
    const cpuBefore = process.cpuUsage();
    const reports: RemoteWorkerReport[] = await profilePhase(options.cpuProfileDir, 'search-remote-server', work);
    const cpuServer = process.cpuUsage(cpuBefore);
    const state = await readRemoteRun(url, run);

    const asks = sum(reports.map((r) => r.asks));
    const tells = sum(reports.map((r) => r.tells));
    const requests = sum(reports.map((r) => r.askMs.length + r.tellMs.length + r.tellAndAskMs.length));
    const seconds = (Math.max(...reports.map((r) => r.endedAt)) - Math.min(...reports.map((r) => r.startedAt))) / 1000;
    const toldIds = reports.flatMap((r) => r.told);
    const trialIds = state.trials.map((t) => t.id);
    const toldOnServer = state.trials.filter((t) => t.state === 'TOLD').length;
    return {
      bench: 'search-remote',
      preset: preset.name,
      strategy: options.strategy,
      seed: options.seed,
      workers: options.workers,
      trialsPerAsk: options.trialsPerAsk ?? 1,
      transport: options.transport ?? 'http',
      tellAndAsk: !options.separateTell,
      evaluationMs: options.evaluationMs ?? 0,
      evaluationSpread: options.evaluationMs ? EVALUATION_SPREAD : 0,
      warmupEvaluations,
      database: store?.kind ?? 'remote',
      budget: { evaluations: state.budgetEvaluations, seconds: state.budgetSeconds },
      run: { id: run, status: state.status, budgetUsed: state.budgetUsed, trials: state.trials.length, toldOnServer },
      seconds: round(seconds, 3),
      asks,
      tells,
      emptyAsks: sum(reports.map((r) => r.emptyAsks)),
      // A tellAndAsk is one tell and one ask, in one request.
      asksPlusTellsPerSecond: round((asks + tells) / seconds, 1),
      requestsPerSecond: round(requests / seconds, 1),
      // Every request that answered a worker's next trials (an ask or a tellAndAsk): how long a worker waits for work.
      nextTrialMs: percentiles(reports.flatMap((r) => [...r.askMs, ...r.tellAndAskMs])),
      askMs: percentiles(reports.flatMap((r) => r.askMs)),
      tellMs: percentiles(reports.flatMap((r) => r.tellMs)),
      tellAndAskMs: percentiles(reports.flatMap((r) => r.tellAndAskMs)),
      // A trial handed out twice would be told twice (each worker tells what it is given) or be refused CONFLICT.
      duplicates:
        toldIds.length - new Set(toldIds).size + (trialIds.length - new Set(trialIds).size) + (tells - toldOnServer),
      conflicts: sum(reports.map((r) => r.conflicts)),
      retries: sum(reports.map((r) => r.retries)),
      // CPU per ask or tell (a tellAndAsk counts two) of the timed run: the bench process (the in-process server; with
      // --url, just the waiting) and the worker processes. PostgreSQL's own CPU is not counted.
      cpuMsPerOperation: {
        benchProcess: round((cpuServer.user + cpuServer.system) / 1000 / (asks + tells), 2),
        workers: round(sum(reports.map((r) => r.cpuMs)) / (asks + tells), 2),
      },
      importSeconds,
      ...(options.cpuProfileDir
        ? {
            serverProfile: summarizeCpuProfile(`${options.cpuProfileDir}/search-remote-server.cpuprofile`, 15),
          }
        : {}),
      machine: {
        platform: `${platform()} ${release()}`,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? null,
        memGiB: round(totalmem() / 2 ** 30, 1),
        node: process.version,
        // The in-process server runs in this process: its V8 flags are this process's. The API image and `npm start`
        // run the server with --single-threaded-gc (docs/configuration.md); a run without it measures V8's default.
        nodeFlags: process.execArgv,
        loadavgBefore: loadBefore,
        loadavgAfter: loadavg().map((l) => round(l, 2)),
        layout: `server in the bench process${store ? ` on ${store.kind}` : ''}, ${options.workers} worker processes (nashub/client runWorker over ${options.transport === 'fetch' ? 'global fetch' : "Node's http"}) on the same machine`,
      },
    };
  } finally {
    await server?.stop();
    await store?.close();
    await fresh?.drop();
  }
}

/** Nearest-rank percentiles. */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { n: 0, p50: null, p95: null, p99: null, max: null, mean: null };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)], 3);
  return {
    n: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: round(sorted[sorted.length - 1], 3),
    mean: round(sum(Array.from(sorted)) / sorted.length, 3),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
