import { NashubClient, nodeHttpTransport, runWorker, type ClientAsk, type HttpTransport } from '../client';

/**
 * One worker process of `nashub bench search --remote` (and of test/search-service-workers.test.ts): the client's
 * `runWorker` on a TABLE run, telling each trial's `simulated` value and cost back, with every ask and tell timed. Run
 * as `node dist/bench/search-remote-worker.js '<RemoteWorkerConfig as JSON>'`. It prints one JSON line per trial it
 * is given (`{"event":"asked",…}`, when `announce` is set) and a last line `{"event":"done",…}` with its counts and
 * latencies. Speaks GraphQL over HTTP only (nashub/client).
 */

/** What one worker process is told to do. */
export interface RemoteWorkerConfig {
  url: string;
  key: string;
  run: string;
  worker: string;
  /** Milliseconds each evaluation sleeps before telling (0: tell at once). */
  sleepMs?: number;
  /**
   * Spread of the sleeps: each is drawn uniformly from sleepMs × [1 − spread, 1 + spread] (default 0: all equal), so
   * workers that start together do not stay in step, as trainings of different architectures do not.
   */
  sleepSpread?: number;
  /** Seed of the sleeps' draws (default 0). */
  seed?: number;
  /** Trials per ask. */
  n?: number;
  /** Print an `asked` line per trial (tests use it to kill a worker mid-trial). */
  announce?: boolean;
  /** The client's transport: `http` (its default, Node's http) or `fetch` (Node's global fetch); default http. */
  transport?: 'http' | 'fetch';
  /** runWorker's `tellAndAsk` (default true): false tells and asks in two requests. */
  tellAndAsk?: boolean;
  /**
   * A run to work on first, untimed, until it finishes (the bench's warm-up: the JIT of this process and of the
   * server, the server's table of the preset, the connection).
   */
  warmupRun?: string;
  /**
   * Print `{"event":"ready"}` after the warm-up (or, without one, once loaded) and wait for a line on stdin before
   * the first timed request, so every worker starts at once; the report's CPU is then counted from that line.
   */
  barrier?: boolean;
}

/** The worker's last line. */
export interface RemoteWorkerReport {
  event: 'done';
  worker: string;
  /** Asks answered (with or without trials), those of `tellAndAsk` included. */
  asks: number;
  /** Asks answered with no trial (others held what the strategy needed). */
  emptyAsks: number;
  tells: number;
  /** Trials told, by id, in order. */
  told: string[];
  /** Milliseconds of every ask, every tell and every tellAndAsk, in order. */
  askMs: number[];
  tellMs: number[];
  tellAndAskMs: number[];
  /** HTTP attempts that the client retried (a network error or a 502/503/504). */
  retries: number;
  /** Results the server refused (CONFLICT: the trial's lease ran out first, or the run finished meanwhile). */
  conflicts: number;
  /** Epoch milliseconds of the first request's start and the last reply. */
  startedAt: number;
  endedAt: number;
  /** CPU milliseconds (user + system) this process spent: from the barrier's go with `barrier`, else start-up included. */
  cpuMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the worker until the run is finished; resolves with its report. */
export async function runRemoteWorker(config: RemoteWorkerConfig): Promise<RemoteWorkerReport> {
  const transport: HttpTransport = config.transport === 'fetch' ? (url, init) => fetch(url, init) : nodeHttpTransport();
  if (config.warmupRun !== undefined) await warmUp(config, transport);
  const spread = config.sleepSpread ?? 0;
  const draw = uniformDraws(config.seed ?? 0);
  let cpuFrom: NodeJS.CpuUsage | undefined;
  if (config.barrier) {
    process.stdout.write(`${JSON.stringify({ event: 'ready', worker: config.worker })}\n`);
    await lineOnStdin();
    cpuFrom = process.cpuUsage();
    // Workers whose evaluations take time join at a random point of one, as in a run under way, not all at once.
    if (config.sleepMs) await sleep(config.sleepMs * draw());
  }
  const report: RemoteWorkerReport = {
    event: 'done',
    worker: config.worker,
    asks: 0,
    emptyAsks: 0,
    tells: 0,
    told: [],
    askMs: [],
    tellMs: [],
    tellAndAskMs: [],
    retries: 0,
    conflicts: 0,
    startedAt: Date.now(),
    endedAt: 0,
    cpuMs: 0,
  };
  // Counts the attempts the client retries: a network error, or a 502/503/504 answer.
  const countingFetch: HttpTransport = async (url, init) => {
    try {
      const response = await transport(url, init);
      if ([502, 503, 504].includes(response.status)) report.retries++;
      return response;
    } catch (error) {
      report.retries++;
      throw error;
    }
  };
  const client = new NashubClient({ url: config.url, key: config.key, fetch: countingFetch });
  // Times each ask and tell as the worker sees it (retries included).
  const asked = (answer: ClientAsk) => {
    report.asks++;
    if (!answer.finished && answer.trials.length === 0) report.emptyAsks++;
    if (config.announce)
      for (const trial of answer.trials)
        process.stdout.write(
          `${JSON.stringify({ event: 'asked', worker: config.worker, trial: trial.id, number: trial.number, arch: trial.architecture.arch })}\n`,
        );
  };
  const ask = client.ask.bind(client);
  client.ask = async (options, signal) => {
    const started = performance.now();
    const answer = await ask(options, signal);
    report.askMs.push(round(performance.now() - started));
    asked(answer);
    return answer;
  };
  const tellAndAsk = client.tellAndAsk.bind(client);
  client.tellAndAsk = async (options) => {
    const started = performance.now();
    const answer = await tellAndAsk(options);
    report.tellAndAskMs.push(round(performance.now() - started));
    asked(answer.next);
    return answer;
  };
  const tell = client.tell.bind(client);
  client.tell = async (options) => {
    const started = performance.now();
    const told = await tell(options);
    report.tellMs.push(round(performance.now() - started));
    return told;
  };
  await runWorker({
    client,
    run: config.run,
    worker: config.worker,
    n: config.n ?? 1,
    tellAndAsk: config.tellAndAsk,
    evaluate: async (trial) => {
      if (!trial.simulated) throw new Error(`trial ${trial.id} carries no simulated value: not a TABLE run`);
      if (config.sleepMs) await sleep(config.sleepMs * (1 + spread * (2 * draw() - 1)));
      return { value: trial.simulated.value, cost: trial.simulated.cost };
    },
    onTrial: (event) => {
      if (event.outcome === 'TOLD') {
        report.tells++;
        report.told.push(event.trial.id);
      } else if (event.outcome === 'REFUSED') report.conflicts++;
      else throw new Error(`trial ${event.trial.id} failed: ${String(event.error)}`);
    },
  });
  report.endedAt = Date.now();
  const cpu = process.cpuUsage(cpuFrom);
  report.cpuMs = round((cpu.user + cpu.system) / 1000);
  return report;
}

/** Works on `config.warmupRun` until it finishes, untimed, telling each trial's simulated value at once. */
async function warmUp(config: RemoteWorkerConfig, transport: HttpTransport): Promise<void> {
  const client = new NashubClient({ url: config.url, key: config.key, fetch: transport });
  await runWorker({
    client,
    run: config.warmupRun!,
    worker: `${config.worker}-warmup`,
    n: config.n ?? 1,
    tellAndAsk: config.tellAndAsk,
    evaluate: (trial) => {
      if (!trial.simulated) throw new Error(`trial ${trial.id} carries no simulated value: not a TABLE run`);
      return Promise.resolve({ value: trial.simulated.value, cost: trial.simulated.cost });
    },
    onTrial: (event) => {
      if (event.outcome === 'FAILED') throw new Error(`warm-up trial ${event.trial.id} failed: ${String(event.error)}`);
    },
  });
}

/** Uniform draws in [0, 1) from a seed (mulberry32). */
function uniformDraws(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resolves at the first line on stdin (or its end). */
function lineOnStdin(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.stdin.off('data', onData);
      process.stdin.off('end', done);
      process.stdin.pause();
      resolve();
    };
    const onData = (chunk: Buffer) => {
      if (chunk.includes(10)) done();
    };
    process.stdin.on('data', onData);
    process.stdin.on('end', done);
  });
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

if (require.main === module) {
  const config = JSON.parse(process.argv[2] ?? '{}') as RemoteWorkerConfig;
  runRemoteWorker(config).then(
    (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
