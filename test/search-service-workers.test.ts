import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRemoteRun,
  readRemoteRun,
  spawnRemoteWorker,
  type RemoteWorkerProcess,
} from '../src/bench/search-remote-run';
import { startSearchServer, type SearchServer } from './support/search-service-fixtures';
import { writeSyntheticSummaryCsv } from './support/search-fixtures';
import { spawnNashub } from './support/spawn-nashub';
import { onPostgres } from './support/test-database';

interface Asked {
  worker: string;
  trial: string;
  number: number;
  arch: string;
}

/** The `asked` lines of some workers: every trial each was handed. */
function askedOf(procs: RemoteWorkerProcess[]): Asked[] {
  return procs.flatMap((p) => p.lines().filter((l) => l.event === 'asked') as unknown as Asked[]);
}

/** Waits until `ready()` holds, or fails after `ms`. */
async function until(ready: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`worker processes sharing one search run over HTTP (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let s: SearchServer;
  const procs: RemoteWorkerProcess[] = [];

  beforeAll(async () => {
    s = await startSearchServer();
  }, 180_000);

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await s?.close();
  });

  it('8 concurrent workers: no trial given twice, none lost, exactly budgetEvaluations told', async () => {
    const budget = 60;
    const run = await createRemoteRun(s.url, s.key, {
      preset: 'nb201-cifar10-valid',
      strategy: 'REGULARIZED_EVOLUTION',
      budgetEvaluations: budget,
      seed: 3,
      mode: 'TABLE',
    });
    const workers = Array.from({ length: 8 }, (_, i) =>
      spawnRemoteWorker({ url: s.url, key: s.key, run, worker: `w${i}`, announce: true }),
    );
    procs.push(...workers);
    const ends = await Promise.all(workers.map((w) => w.exited));
    ends.forEach((end, i) => expect(end, workers[i].stderr()).toEqual({ code: 0, signal: null }));

    const asked = askedOf(workers);
    const reports = workers.map((w) => w.report()!);
    const toldIds = reports.flatMap((r) => r.told);
    // No trial handed to two workers, each told once, by the worker that was handed it.
    expect(new Set(asked.map((a) => a.trial)).size).toBe(asked.length);
    expect(new Set(toldIds).size).toBe(toldIds.length);
    expect(toldIds).toHaveLength(budget);

    const state = await readRemoteRun(s.url, run);
    expect(state.status).toBe('FINISHED');
    expect(state.budgetUsed.evaluations).toBe(budget);
    // None lost: every trial the run holds was handed to exactly one worker and told (the lease never ran out).
    expect(state.trials.map((t) => t.number)).toEqual(state.trials.map((_, i) => i));
    expect(state.trials.map((t) => t.state)).toEqual(state.trials.map(() => 'TOLD'));
    expect(state.trials.map((t) => t.id).sort()).toEqual(asked.map((a) => a.trial).sort());
    const workerOf = new Map(asked.map((a) => [a.trial, a.worker]));
    for (const t of state.trials) expect(t.worker).toBe(workerOf.get(t.id));
    // More than one worker did the work.
    expect(new Set(state.trials.map((t) => t.worker)).size).toBeGreaterThan(1);
  }, 180_000);

  it('2 workers killed with kill -9 mid-trial: their trials expire, the same architectures are asked again and told; the budget stays exact', async () => {
    const budget = 24;
    const run = await createRemoteRun(s.url, s.key, {
      preset: 'nb201-cifar10-valid',
      strategy: 'RANDOM',
      budgetEvaluations: budget,
      seed: 11,
      mode: 'TABLE',
      leaseSeconds: 2,
    });
    // The victims evaluate for a minute: each is surely mid-trial when it dies.
    const victims = ['doomed-0', 'doomed-1'].map((worker) =>
      spawnRemoteWorker({ url: s.url, key: s.key, run, worker, sleepMs: 60_000, announce: true }),
    );
    procs.push(...victims);
    await until(() => askedOf(victims).length === 2, 60_000, 'both victims to be handed a trial');
    const survivors = Array.from({ length: 6 }, (_, i) =>
      spawnRemoteWorker({ url: s.url, key: s.key, run, worker: `w${i}`, sleepMs: 20, announce: true }),
    );
    procs.push(...survivors);
    await until(() => askedOf(survivors).length > 0, 60_000, 'a survivor to be handed a trial');
    for (const v of victims) v.child.kill('SIGKILL');
    expect(await Promise.all(victims.map((v) => v.exited))).toEqual(
      victims.map(() => ({ code: null, signal: 'SIGKILL' })),
    );

    const ends = await Promise.all(survivors.map((w) => w.exited));
    ends.forEach((end, i) => expect(end, survivors[i].stderr()).toEqual({ code: 0, signal: null }));
    const asked = askedOf([...victims, ...survivors]);
    expect(new Set(asked.map((a) => a.trial)).size).toBe(asked.length);

    const state = await readRemoteRun(s.url, run);
    expect(state.status).toBe('FINISHED');
    expect(state.budgetUsed.evaluations).toBe(budget);
    expect(state.trials.filter((t) => t.state === 'TOLD')).toHaveLength(budget);
    expect(state.trials.filter((t) => t.state !== 'TOLD' && t.state !== 'EXPIRED')).toEqual([]);
    const byId = new Map(state.trials.map((t) => [t.id, t]));
    for (const lost of askedOf(victims)) {
      const trial = byId.get(lost.trial)!;
      expect(trial).toMatchObject({ state: 'EXPIRED', worker: lost.worker, value: null });
      // Handed out again as a new trial (new id and number) with the same architecture and protocol, then told. On a
      // loaded machine the retry may itself outlive its lease: follow the retryOf chain to the trial that was told.
      let last = trial;
      for (;;) {
        const again = state.trials.filter((t) => t.retryOf === last.id);
        expect(again, `retries of trial ${last.number}`).toHaveLength(1);
        expect(again[0].number).toBeGreaterThan(last.number);
        expect(again[0]).toMatchObject({ protocol: trial.protocol, architecture: trial.architecture });
        expect(again[0].worker).toMatch(/^w\d$/);
        last = again[0];
        if (last.state !== 'EXPIRED') break;
      }
      expect(last.state).toBe('TOLD');
    }
    // The victims' two at least (a survivor stalled past the 2 s lease on a loaded machine would add its own).
    expect(state.trials.filter((t) => t.state === 'EXPIRED').length).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('nashub bench search --remote: W worker processes on a fresh database print one JSON line with throughput, latencies and 0 duplicates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nashub-bench-remote-'));
    try {
      const args = ['bench', 'search', '--remote', '--workers', '3', '--budget-evaluations', '40', '--seed-base', '2'];
      args.push('--trials-per-ask', '2', '--evaluation-ms', '5', '--warmup-evaluations', '12');
      args.push('--data', writeSyntheticSummaryCsv(dir));
      if (onPostgres) args.push('--database', 'postgres', '--database-url', process.env.DATABASE_URL!);
      else args.push('--database', 'pglite');
      const bench = spawnNashub(args, {});
      expect(await bench.exited, bench.stderr()).toBe(0);
      const lines = bench.stdout().trim().split('\n');
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0]);
      expect(line).toMatchObject({
        bench: 'search-remote',
        preset: 'nb201-cifar10-valid',
        strategy: 'REGULARIZED_EVOLUTION',
        seed: 2,
        workers: 3,
        trialsPerAsk: 2,
        database: onPostgres ? 'postgres' : 'pglite',
        budget: { evaluations: 40, seconds: null },
        // The timed run alone: the warm-up run's trials are another run's.
        run: { status: 'FINISHED', trials: 40, toldOnServer: 40, budgetUsed: { evaluations: 40 } },
        tells: 40,
        duplicates: 0,
        conflicts: 0,
        tellAndAsk: true,
        evaluationMs: 5,
        warmupEvaluations: 12,
        cpuMsPerOperation: { benchProcess: expect.any(Number), workers: expect.any(Number) },
        machine: { cpus: expect.any(Number), loadavgBefore: expect.any(Array) },
      });
      expect(line.asks).toBeGreaterThanOrEqual(40 / 2 + 3); // each worker's last ask answers finished
      // The last tell of each round of two asks for the next round (tellAndAsk): every ask and tell is timed once.
      expect(line.askMs.n + line.tellAndAskMs.n).toBe(line.asks);
      expect(line.tellMs.n + line.tellAndAskMs.n).toBe(40);
      expect(line.tellAndAskMs.n).toBeGreaterThan(0);
      expect(line.nextTrialMs.n).toBe(line.asks);
      expect(line.requestsPerSecond).toBeLessThan(line.asksPlusTellsPerSecond);
      expect(line.nextTrialMs.p50).toBeLessThanOrEqual(line.nextTrialMs.p99);
      // 40 evaluations of 5 ms on average (each at least half that), on 3 workers.
      expect(line.evaluationSpread).toBe(0.5);
      expect(line.seconds).toBeGreaterThanOrEqual((40 * 0.005 * 0.5) / 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('nashub bench search --remote without its table: INVALID_ARGUMENT naming --data and the mapping, exit 2, no output', async () => {
    const bench = spawnNashub(['bench', 'search', '--remote', '--data', join(tmpdir(), 'no-such-summary.csv')], {});
    expect(await bench.exited).toBe(2);
    expect(bench.stderr()).toMatch(
      /^nashub: INVALID_ARGUMENT: --data: no file .*no-such-summary\.csv; .*--map nb201\/summary/,
    );
    expect(bench.stdout()).toBe('');
  }, 60_000);

  it('nashub bench search --remote --evaluation-ms that is not a positive number: INVALID_ARGUMENT, exit 2, no output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nashub-bench-remote-'));
    try {
      const args = ['bench', 'search', '--remote', '--evaluation-ms', '-3', '--data', writeSyntheticSummaryCsv(dir)];
      const bench = spawnNashub(args, {});
      expect(await bench.exited).toBe(2);
      expect(bench.stderr()).toMatch(/^nashub: INVALID_ARGUMENT: --evaluation-ms must be a positive number, got "-3"/);
      expect(bench.stdout()).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
