import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NashubClient } from '../src/client';
import { startServer, type RunningServer } from '../src/server';
import { DEFAULT_LIMITS } from '../src/server/limit/api-limits';
import { openStore, type Store } from '../src/store';
import { createApiKey } from '../src/store/api-key';
import { syntheticNb201Cells } from './support/search-fixtures';
import { importSyntheticSummary } from './support/search-service-fixtures';
import { spawn } from 'node:child_process';
import { runNashub } from './support/spawn-nashub';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

const cells = new Map(syntheticNb201Cells().map((c) => [c.arch, c]));

/** The searches the goal compares: the same strategy, seed and preset in-process and through the API. */
const SEARCHES: Array<{ name: string; args: string[] }> = [
  {
    name: 'REGULARIZED_EVOLUTION on the nb201-cifar10-valid preset',
    args: ['--preset', 'nb201-cifar10-valid', '--strategy', 'REGULARIZED_EVOLUTION', '--seed', '3'],
  },
  {
    name: 'BANANAS (a predictor strategy) on the preset, 24 evaluations',
    args: ['--preset', 'nb201-cifar10-valid', '--strategy', 'BANANAS', '--seed', '5', '--budget-evals', '24'],
  },
];

describe(`nashub search --url, search runs and search show (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase;
  let dir: string;
  let store: Store | undefined;
  let server: RunningServer | undefined;
  let url: string;
  let key: string;
  const inProcess = new Map<string, any>();

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'nashub-search-remote-'));
    const importing = await openStore({ config: database.config });
    try {
      const result = await importSyntheticSummary(importing.dataSource);
      expect(result.status).toBe('IMPORTED');
    } finally {
      await importing.close();
    }
    // The in-process searches first: on PGlite the folder is then the server's.
    for (const search of SEARCHES) {
      const run = await runNashub(['search', ...search.args, '--mode', 'table', '--workers', '1'], database.env);
      expect(run.code, run.stderr).toBe(0);
      inProcess.set(search.name, JSON.parse(run.lines[0]));
    }
    store = await openStore({ config: database.config });
    key = (await createApiKey(store.dataSource.manager, { name: 'search-cli', role: 'trainer' })).key;
    server = await startServer({
      store,
      port: 0,
      host: '127.0.0.1',
      maxBodyBytes: 4 * 1024 * 1024,
      production: false,
      logger: pino({ level: 'silent' }),
      limits: DEFAULT_LIMITS,
    });
    url = `http://127.0.0.1:${server.port}/graphql`;
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const search of SEARCHES) {
    it(`gives the in-process trajectory through the API: ${search.name}`, async () => {
      const local = inProcess.get(search.name);
      const run = await runNashub(['search', ...search.args, '--url', url, '--key', key], {});
      expect(run.code, run.stderr).toBe(0);
      expect(run.lines).toHaveLength(1);
      const remote = JSON.parse(run.lines[0]);
      expect(remote.runId).toEqual(expect.any(String));
      expect(remote).toMatchObject({
        url,
        space: local.space,
        dataset: local.dataset,
        preset: local.preset,
        mode: 'TABLE',
        strategy: local.strategy,
        seed: local.seed,
        workers: 1,
        status: 'FINISHED',
        budget: local.budget,
        arch: local.arch,
        id: local.id,
        observed: { protocol: local.observed.protocol, value: local.observed.value },
        final: { protocol: local.final.protocol, value: local.final.value },
        evaluations: local.evaluations,
        failed: 0,
        refused: 0,
      });
      expect(remote.told).toBe(local.evaluations);
      expect(remote.seconds).toBeCloseTo(local.seconds, 6);
      // THE GOAL: the same points, in the same order (seconds summed in another order may differ in the last bits).
      expect(remote.trajectory.length).toBeGreaterThan(1);
      expect(remote.trajectory.map((p: any) => ({ ...p, seconds: Math.round(p.seconds * 1e6) }))).toEqual(
        local.trajectory.map((p: any) => ({ ...p, seconds: Math.round(p.seconds * 1e6) })),
      );
      expect(cells.get(remote.arch)!.valid200).toBe(remote.final.value);
    }, 300_000);
  }

  it('searches with several workers in the process: the budget told exactly, nothing twice', async () => {
    const args = ['--preset', 'nb201-cifar10-valid', '--strategy', 'RANDOM', '--budget-evals', '15', '--workers', '3'];
    const run = await runNashub(['search', ...args, '--url', url, '--key', key], {});
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.lines[0]);
    expect(report).toMatchObject({ workers: 3, status: 'FINISHED', evaluations: 15, told: 15, failed: 0, refused: 0 });
    expect(report.budget).toEqual({ evaluations: 15 });
    const trials = (await new NashubClient({ url }).searchTrials({ run: report.runId, first: 100 }))!.edges.map(
      (edge) => edge.node,
    );
    expect(trials.map((trial) => trial.number)).toEqual([...Array(15).keys()]);
    expect(trials.every((trial) => trial.state === 'TOLD')).toBe(true);
    expect(new Set(trials.map((trial) => trial.worker)).size).toBeGreaterThan(1);
    expect(cells.get(report.arch)!.valid200).toBe(report.final.value);
  }, 120_000);

  it('creates an EXTERNAL run and exits; search runs lists it and search show prints it', async () => {
    const created = await runNashub(
      [
        'search',
        '--preset',
        'nb201-cifar10-valid',
        '--strategy',
        'RANDOM',
        '--mode',
        'external',
        '--budget-evals',
        '4',
        '--url',
        url,
        '--key',
        key,
      ],
      {},
    );
    expect(created.code, created.stderr).toBe(0);
    const run = JSON.parse(created.lines[0]);
    expect(run).toMatchObject({ mode: 'EXTERNAL', status: 'RUNNING', budgetEvaluations: 4, strategy: 'RANDOM' });
    expect(run.runId).toBe(run.id);

    const listed = await runNashub(['search', 'runs', '--url', url], {});
    expect(listed.code, listed.stderr).toBe(0);
    const runs = listed.lines.map((line) => JSON.parse(line));
    expect(runs[0].id).toBe(run.id); // newest first
    expect(runs.slice(1).every((r) => r.mode === 'TABLE' && r.status === 'FINISHED')).toBe(true);
    const first = await runNashub(['search', 'runs', '--url', url, '--first', '1'], {});
    expect(first.lines.map((line) => JSON.parse(line).id)).toEqual([run.id]);
    const running = await runNashub(['search', 'runs', '--url', url, '--status', 'running'], {});
    expect(running.lines.map((line) => JSON.parse(line).id)).toEqual([run.id]);

    const shown = await runNashub(['search', 'show', run.id, '--url', url, '--trials'], {});
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.lines[0])).toMatchObject({ id: run.id, status: 'RUNNING', trajectory: [], trials: [] });
  }, 120_000);

  it("runs docs/client.md's worker as it is written: it searches a TABLE run to its end", async () => {
    const root = join(__dirname, '..');
    const markdown = readFileSync(join(root, 'docs', 'client.md'), 'utf8');
    const snippet = /## runWorker[\s\S]*?```ts\n([\s\S]*?)```/.exec(markdown)![1];
    // What a user of the package runs, with `nashub/client` pointing at this checkout's build.
    const code = transformSync(snippet, { loader: 'ts', format: 'cjs' }).code.replace(
      /require\("nashub\/client"\)/,
      `require(${JSON.stringify(join(root, 'dist', 'client', 'index.js'))})`,
    );
    const file = join(dir, 'worker.js');
    writeFileSync(file, code);
    const child = spawn(process.execPath, [file], {
      env: { ...process.env, NASHUB_URL: url, NASHUB_KEY: key },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(exitCode, err).toBe(0);
    const printed = JSON.parse(out.trim());
    expect(printed.summary).toMatchObject({ failed: 0, refused: 0, finished: true });
    expect(printed.summary.told).toBeGreaterThan(20);
    expect(printed.final).toBe(cells.get(printed.arch)!.valid200);
  }, 120_000);

  it('answers bad input with one typed line and exit code 2, and an unreachable server with exit code 1', async () => {
    const preset = ['--preset', 'nb201-cifar10-valid'];
    const cases: Array<[string[], string]> = [
      [['search', ...preset, '--strategy', 'ANNEALING', '--url', url, '--key', key], 'UNKNOWN_STRATEGY'],
      [['search', '--preset', 'nb301-cifar10', '--strategy', 'RANDOM', '--url', url, '--key', key], 'UNKNOWN_PRESET'],
      [['search', ...preset, '--strategy', 'RANDOM', '--budget-evals', 'x', '--url', url], 'INVALID_ARGUMENT'],
      [['search', ...preset, '--strategy', 'RANDOM', '--url', 'ftp://host/graphql'], 'INVALID_ARGUMENT'],
      [['search', ...preset, '--strategy', 'RANDOM', '--mode', 'external'], 'INVALID_ARGUMENT'],
      [['search', ...preset, '--strategy', 'RANDOM', '--key', key], 'INVALID_ARGUMENT'],
      [['search', ...preset, '--url', url], 'INVALID_ARGUMENT'],
      [['search', 'show', '999999', '--url', url], 'NOT_FOUND'],
      [['search', 'runs', '--url', url, '--status', 'DONE'], 'INVALID_ARGUMENT'],
    ];
    const runs = await Promise.all(cases.map(([args]) => runNashub(args, {})));
    cases.forEach(([args, code], i) => {
      expect(runs[i].code, `${args.join(' ')}: ${runs[i].stderr}`).toBe(2);
      expect(runs[i].stderr, args.join(' ')).toMatch(new RegExp(`^nashub: ${code}: `));
      expect(runs[i].lines, args.join(' ')).toEqual([]);
    });
    // Creating a run without a key is refused by the server, not by the CLI.
    const anonymous = await runNashub(['search', ...preset, '--strategy', 'RANDOM', '--url', url], {});
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/^nashub: (UNAUTHENTICATED|FORBIDDEN): /);
    const nowhere = await runNashub(['search', 'runs', '--url', 'http://127.0.0.1:1/graphql'], {});
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/^nashub: NETWORK_ERROR: /);
  }, 300_000);
});
