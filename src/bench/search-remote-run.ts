import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RemoteWorkerConfig, RemoteWorkerReport } from './search-remote-worker';

/** A GraphQL error answered by the server, with its `extensions.code`. */
export class RemoteGraphQLError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** POSTs one GraphQL operation; the data, or the first error as a {@link RemoteGraphQLError}. */
export async function remoteGraphQL<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  key?: string,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: T;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string } }>;
  };
  if (body.errors?.length) {
    const first = body.errors[0];
    const where = first.path ? ` (at ${first.path.join('.')})` : '';
    throw new RemoteGraphQLError(first.extensions?.code ?? `HTTP_${response.status}`, `${first.message}${where}`);
  }
  return body.data as T;
}

/** `CreateSearchRunInput` as the bench and the tests send it. */
export interface RemoteRunInput {
  preset?: string;
  space?: string;
  dataset?: string;
  protocol?: string;
  strategy: string;
  strategyOptions?: Record<string, unknown>;
  budgetSeconds?: number;
  budgetEvaluations?: number;
  seed?: number;
  mode?: 'TABLE' | 'EXTERNAL' | 'TRAINING';
  leaseSeconds?: number;
}

/** Creates a search run over HTTP (the key needs role trainer); its id. */
export async function createRemoteRun(url: string, key: string, input: RemoteRunInput): Promise<string> {
  const data = await remoteGraphQL<{ createSearchRun: { id: string } }>(
    url,
    'mutation Create($input: CreateSearchRunInput!) { createSearchRun(input: $input) { id } }',
    { input },
    key,
  );
  return data.createSearchRun.id;
}

/** A trial as a run's page lists it. */
export interface RemoteRunTrial {
  id: string;
  number: number;
  state: 'ASKED' | 'RUNNING' | 'TOLD' | 'FAILED' | 'EXPIRED';
  protocol: string;
  worker: string | null;
  value: number | null;
  cost: number | null;
  architecture: { id: string; arch: string };
  /** The expired trial this one asks again. */
  retryOf: string | null;
}

/** A run and all its trials, read over HTTP (public). */
export interface RemoteRunState {
  id: string;
  status: 'RUNNING' | 'FINISHED' | 'STOPPED';
  budgetEvaluations: number | null;
  budgetSeconds: number | null;
  budgetUsed: { evaluations: number; seconds: number };
  best: { value: number; finalValue: number | null; architecture: { arch: string } } | null;
  trials: RemoteRunTrial[];
}

/** A page of a run's trials; the run's own fields with the first page only (`budgetUsed` and `best` read all told). */
const RUN_PAGE = `query Run($id: ID!, $after: String, $head: Boolean!) {
  searchRun(id: $id) {
    id status budgetEvaluations budgetSeconds
    budgetUsed @include(if: $head) { evaluations seconds }
    best @include(if: $head) { value finalValue architecture { arch } }
    trials(first: 100, after: $after) {
      edges { node { id number state protocol worker value cost retryOf architecture { id arch } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** Reads a run with every trial (pages of 100, in trial-number order). */
export async function readRemoteRun(url: string, id: string): Promise<RemoteRunState> {
  const trials: RemoteRunTrial[] = [];
  let head: Omit<RemoteRunState, 'trials'> | null = null;
  let after: string | null = null;
  for (;;) {
    const data: {
      searchRun:
        | (Omit<RemoteRunState, 'trials'> & {
            trials: {
              edges: Array<{ node: RemoteRunTrial }>;
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          })
        | null;
    } = await remoteGraphQL(url, RUN_PAGE, { id, after, head: head === null });
    if (data.searchRun === null) throw new RemoteGraphQLError('NOT_FOUND', `no search run ${id}`);
    const { trials: page, ...run } = data.searchRun;
    head ??= run;
    trials.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return { ...head, trials };
    after = page.pageInfo.endCursor;
  }
}

/** The compiled worker script (`dist/bench/search-remote-worker.js`), also when this module runs from `src/`. */
export const remoteWorkerScript = __filename.endsWith('.ts')
  ? join(__dirname, '..', '..', 'dist', 'bench', 'search-remote-worker.js')
  : join(__dirname, 'search-remote-worker.js');

/** A worker process: its stdout lines so far, and how it ended. */
export interface RemoteWorkerProcess {
  child: ChildProcess;
  /** Parsed JSON lines of stdout so far (`asked` lines, then the `done` report). */
  lines(): Array<Record<string, unknown>>;
  stderr(): string;
  /** The exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The `done` line, once the process exited with it; else null. */
  report(): RemoteWorkerReport | null;
  /** With `barrier`: resolves at the worker's `ready` line (rejects if it exits first). */
  ready: Promise<void>;
  /** With `barrier`: lets the worker start its timed requests. */
  go(): void;
}

/** Starts one worker process (`node dist/bench/search-remote-worker.js CONFIG`). */
export function spawnRemoteWorker(config: RemoteWorkerConfig): RemoteWorkerProcess {
  const child = spawn(process.execPath, [remoteWorkerScript, JSON.stringify(config)], {
    stdio: [config.barrier ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onReady: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (onReady && out.includes('"event":"ready"')) {
      onReady();
      onReady = undefined;
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const readyOrExit = Promise.race([
    ready,
    exited.then((end) => {
      if (onReady)
        throw new Error(`worker ${config.worker} ended ${JSON.stringify(end)} before it was ready: ${err.trim()}`);
    }),
  ]);
  // A worker that dies before the race settles would otherwise leave an unhandled rejection.
  readyOrExit.catch(() => undefined);
  const lines = () =>
    out
      .split('\n')
      .slice(0, -1) // the last piece is an unfinished line (or '')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    child,
    lines,
    stderr: () => err,
    exited,
    report: () => (lines().find((l) => l.event === 'done') as RemoteWorkerReport | undefined) ?? null,
    ready: readyOrExit,
    go: () => child.stdin?.end('go\n'),
  };
}
