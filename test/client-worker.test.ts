import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NashubClient, NashubClientError, runWorker, type ClientSearchTrial } from '../src/client';
import { createApiKey } from '../src/store/api-key';
import { importApiFixtures } from './support/api-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';

/** A made-up accuracy of an architecture text, the same for every worker (so a retried trial tells the same). */
function fakeValue(arch: string): number {
  let h = 0;
  for (const c of arch) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return 50 + (h % 4000) / 100;
}

/** An EXTERNAL run over the API fixtures' dataset: workers tell whatever they measure. */
const EXTERNAL_RUN = {
  space: 'nb201',
  dataset: 'cifar10-valid',
  protocol: 'hp=200',
  strategy: 'RANDOM',
  mode: 'EXTERNAL' as const,
};

describe(`runWorker against a real server (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  let client: NashubClient;

  beforeAll(async () => {
    t = await startTestServer();
    await importApiFixtures(t.store.dataSource);
    const { key } = await createApiKey(t.store.dataSource.manager, { name: 'worker-key', role: 'trainer' });
    client = new NashubClient({ url: t.url, key, backoffMs: 5 });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('asks, evaluates and tells until the evaluation budget is spent, then reports the run finished', async () => {
    const run = await client.createSearchRun({ ...EXTERNAL_RUN, budgetEvaluations: 12, seed: 1 });
    const seen: ClientSearchTrial[] = [];
    const summary = await runWorker({
      client,
      run: run.id,
      worker: 'w1',
      evaluate: async (trial) => {
        seen.push(trial);
        return { value: fakeValue(trial.architecture.arch), cost: 10 };
      },
    });
    expect(summary).toEqual({ told: 12, failed: 0, refused: 0, finished: true });
    expect(seen.map((trial) => trial.number)).toEqual([...Array(12).keys()]);
    const after = await client.searchRun(run.id);
    expect(after).toMatchObject({ status: 'FINISHED', budgetUsed: { evaluations: 12, seconds: 120 } });
    const best = Math.max(...seen.map((trial) => fakeValue(trial.architecture.arch)));
    expect(after!.best?.value).toBe(best);
    const trials = await client.searchTrials({ run: run.id, first: 100 });
    expect(trials!.edges.map((edge) => edge.node.state)).toEqual(new Array(12).fill('TOLD'));
    expect(trials!.edges.every((edge) => edge.node.worker === 'w1')).toBe(true);
    // Finished: asking again says so and hands out nothing.
    expect(await client.ask({ run: run.id, worker: 'w1' })).toMatchObject({ trials: [], finished: true });
  });

  it('shares a run between workers asking several trials at once: no trial twice, the budget exactly', async () => {
    const run = await client.createSearchRun({ ...EXTERNAL_RUN, budgetEvaluations: 20, seed: 2 });
    const byWorker = new Map<string, number[]>();
    const evaluate = (worker: string) => async (trial: ClientSearchTrial) => {
      byWorker.set(worker, [...(byWorker.get(worker) ?? []), trial.number]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { value: fakeValue(trial.architecture.arch) };
    };
    const summaries = await Promise.all(
      ['a', 'b', 'c'].map((worker) => runWorker({ client, run: run.id, worker, n: 3, evaluate: evaluate(worker) })),
    );
    expect(summaries.reduce((sum, s) => sum + s.told, 0)).toBe(20);
    expect(summaries.every((s) => s.finished)).toBe(true);
    const numbers = [...byWorker.values()].flat().sort((a, b) => a - b);
    expect(numbers).toEqual([...Array(20).keys()]);
    expect((await client.searchRun(run.id))!.budgetUsed.evaluations).toBe(20);
  });

  it('fails the trial whose evaluation throws, with the error as reason, and goes on', async () => {
    const run = await client.createSearchRun({ ...EXTERNAL_RUN, budgetEvaluations: 6, seed: 3 });
    const summary = await runWorker({
      client,
      run: run.id,
      worker: 'flaky',
      evaluate: async (trial) => {
        if (trial.number === 1) throw new Error('CUDA out of memory');
        return { value: fakeValue(trial.architecture.arch) };
      },
    });
    expect(summary.failed).toBe(1);
    expect(summary.finished).toBe(true);
    const failed = await client.searchTrials({ run: run.id, states: ['FAILED'] });
    expect(failed!.edges.map((edge) => [edge.node.number, edge.node.reason])).toEqual([[1, 'CUDA out of memory']]);
  });

  it('heartbeats a long evaluation: the trial turns RUNNING and its lease moves on', async () => {
    const run = await client.createSearchRun({ ...EXTERNAL_RUN, budgetEvaluations: 1, leaseSeconds: 30 });
    const summary = await runWorker({
      client,
      run: run.id,
      worker: 'slow',
      heartbeatSeconds: 0.1,
      evaluate: async (trial) => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const now = await client.searchTrials({ run: run.id });
        const node = now!.edges[0].node;
        expect(node.state).toBe('RUNNING');
        expect(Date.parse(node.leaseExpiresAt!)).toBeGreaterThan(Date.parse(trial.leaseExpiresAt!));
        return { value: 70 };
      },
    });
    expect(summary).toMatchObject({ told: 1, finished: true });
  });

  it('stops when its signal aborts, leaving the run running', async () => {
    const run = await client.createSearchRun({ ...EXTERNAL_RUN, budgetEvaluations: 100 });
    const abort = new AbortController();
    const summary = await runWorker({
      client,
      run: run.id,
      worker: 'stopped',
      signal: abort.signal,
      evaluate: async (trial) => {
        if (trial.number === 2) abort.abort();
        return { value: 60 };
      },
    });
    expect(summary).toMatchObject({ told: 2, finished: false });
    expect((await client.searchRun(run.id))!.status).toBe('RUNNING');
    const stopped = await client.stopSearchRun(run.id);
    expect(stopped.status).toBe('STOPPED');
    expect(await client.ask({ run: run.id, worker: 'late' })).toMatchObject({ trials: [], finished: true });
  });

  it('answers misuse with typed codes', async () => {
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (error: unknown) => (error instanceof NashubClientError ? error.code : String(error)),
      );
    const run = await client.createSearchRun({ ...EXTERNAL_RUN, budgetEvaluations: 3 });
    const [trial] = (await client.ask({ run: run.id, worker: 'x' })).trials;
    expect(await client.tell({ trial: trial.id, worker: 'x', value: 61 })).toMatchObject({ state: 'TOLD', value: 61 });
    // Idempotent: the same value again is the same trial; another value is a conflict.
    expect(await client.tell({ trial: trial.id, worker: 'x', value: 61 })).toMatchObject({ state: 'TOLD', value: 61 });
    expect(await codeOf(client.tell({ trial: trial.id, worker: 'x', value: 62 }))).toBe('CONFLICT');
    expect(await codeOf(client.ask({ run: run.id, worker: 'x', n: 0 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(client.ask({ run: '999999', worker: 'x' }))).toBe('NOT_FOUND');
    expect(await codeOf(client.createSearchRun({ ...EXTERNAL_RUN, strategy: 'ANNEALING' }))).toBe('UNKNOWN_STRATEGY');
    const anonymous = new NashubClient({ url: t.url });
    expect(await codeOf(anonymous.ask({ run: run.id, worker: 'x' }))).toMatch(/^(UNAUTHENTICATED|FORBIDDEN)$/);
    expect(await anonymous.searchRun('999999')).toBeNull();
  });
});
