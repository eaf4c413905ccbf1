import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from 'typeorm';
import { ErrorCode, NashubError } from '../src/core';
import { RunBatcher, SearchService, type RunBatchContext } from '../src/search/service';
import { startSearchServer, type SearchServer } from './support/search-service-fixtures';
import { StatementCounter } from './support/statement-counter';
import { onPostgres } from './support/test-database';

/** Transactions opened, and statements sent in all, while `work` runs. */
async function transactionsDuring(
  counter: StatementCounter,
  work: () => Promise<unknown>,
): Promise<{ transactions: number; statements: number }> {
  const statements = await counter.during(work);
  return {
    transactions: statements.filter((s) => /^(START TRANSACTION|BEGIN)/i.test(s)).length,
    statements: statements.length,
  };
}

/** The typed error code of a rejection. */
function codeOf(reason: unknown): unknown {
  return (reason as { code?: unknown }).code;
}

/** Runs `work` one after another, settling each. */
async function settleInTurn<T>(work: Array<() => Promise<T>>): Promise<PromiseSettledResult<T>[]> {
  const settled: PromiseSettledResult<T>[] = [];
  for (const w of work)
    settled.push(
      await w().then(
        (value) => ({ status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }),
      ),
    );
  return settled;
}

describe(`search run operations served in batches (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  const counter = new StatementCounter();
  let server: SearchServer;
  let service: SearchService;

  beforeAll(async () => {
    server = await startSearchServer({ logger: counter });
    service = new SearchService(server.store.dataSource);
  }, 600_000);

  afterAll(async () => {
    await server?.close();
  });

  it('serves the asks and tells that arrive while a transaction is open in the next one, and refuses a bad one alone', async () => {
    const request = {
      preset: 'nb201-cifar10-valid',
      strategy: 'REGULARIZED_EVOLUTION',
      budgetEvaluations: 30,
      seed: 3,
    };
    const workers = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8'];

    /** One ask and tell, then eight asks and eight tells (one more tell by the wrong worker), at once or in turn. */
    async function drive(runId: number, atOnce: boolean) {
      // The first ask loads the run's table; after it, an ask submits without waiting, so asks made in one tick meet.
      const first = await service.ask(runId, 'w0', 1);
      await service.tell(first.trials[0].id, 'w0', { value: first.trials[0].simulatedValue! });
      const together = async <T>(work: Array<() => Promise<T>>) =>
        atOnce ? Promise.allSettled(work.map((w) => w())) : settleInTurn(work);
      let asked: PromiseSettledResult<Awaited<ReturnType<SearchService['ask']>>>[] = [];
      const askTransactions = await transactionsDuring(counter, async () => {
        asked = await together(workers.map((w) => () => service.ask(runId, w, 1)));
      });
      const trials = asked.map(
        (a) => (a as PromiseFulfilledResult<Awaited<ReturnType<SearchService['ask']>>>).value.trials[0],
      );
      let told: PromiseSettledResult<unknown>[] = [];
      const tellTransactions = await transactionsDuring(counter, async () => {
        const tells = trials.map((t, i) => () => service.tell(t.id, workers[i], { value: t.simulatedValue! }));
        // A tell of w1's trial by w2, among the others: refused alone, the batch goes on.
        tells.splice(3, 0, () => service.tell(trials[0].id, 'w2', { value: trials[0].simulatedValue! }));
        told = await together(tells);
      });
      return { trials, askTransactions, tellTransactions, told };
    }

    const batched = await service.createRun(request);
    const inTurn = await service.createRun(request);
    const a = await drive(batched.id, true);
    const b = await drive(inTurn.id, false);
    // The first ask finds no transaction open and goes alone; the seven that arrived meanwhile share the next one.
    expect([a.askTransactions.transactions, a.tellTransactions.transactions]).toEqual([2, 2]);
    expect([b.askTransactions.transactions, b.tellTransactions.transactions]).toEqual([8, 9]);
    // A batch makes the same round trips however many operations it serves. One that starts from the state this
    // process's last batch on the run left (the run's row, its outstanding trials) sends its writes, the run's lock,
    // the check that the state is still the run's (and the tests' cross-check of the kept counts) and COMMIT in one:
    // both ask batches here, the first tell batch. The tell batch that names a trial no longer outstanding (w2's
    // refused tell of w1's trial, told in the first) reads the run: BEGIN, the lock, the expiry and the named trials in
    // one; the count of the run's trials (the cross-check); the writes and COMMIT.
    expect([a.askTransactions.statements, a.tellTransactions.statements]).toEqual([2, 1 + 3]);
    expect(new Set(a.trials.map((t) => t.id)).size).toBe(8);
    expect(a.trials.map((t) => t.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const { told } of [a, b])
      expect(
        told.filter((r) => r.status === 'rejected').map((r) => codeOf((r as PromiseRejectedResult).reason)),
      ).toEqual([ErrorCode.CONFLICT]);
    // Batched, the run moves exactly as it does one operation at a time.
    expect(a.trials.map((t) => t.arch)).toEqual(b.trials.map((t) => t.arch));
    // Each tell in the batch saw the counts as the tells before it left them: places 2..9 in the tell order.
    const rows = (await server.store.dataSource.query(
      `SELECT state, told_index FROM search_trial WHERE run_id = $1 AND number > 0 ORDER BY number`,
      [batched.id],
    )) as Array<{ state: string; told_index: number }>;
    expect(rows.map((r) => r.state)).toEqual(Array(8).fill('TOLD'));
    expect(rows.map((r) => Number(r.told_index))).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    // A process that never saw the batch rebuilds the strategy from the log and asks what this one's kept strategy asks.
    const rebuilt = await new SearchService(server.store.dataSource).ask(batched.id, 'w9', 4);
    const kept = await service.ask(inTurn.id, 'w9', 4);
    expect(rebuilt.trials.map((t) => t.arch)).toEqual(kept.trials.map((t) => t.arch));
  });

  it("keeps a run's counts between its batches and recounts only after another process changed the run", async () => {
    const request = { preset: 'nb201-cifar10-valid', strategy: 'RANDOM', budgetEvaluations: 4, seed: 5 };
    const run = await service.createRun(request);
    // Without the tests' cross-check (NASHUB_VERIFY_RUN_COUNTS), so a batch counts only when it must.
    const [a, b] = [0, 1].map(() => new SearchService(server.store.dataSource, { verifyCounts: false }));
    const counted = (statements: string[]) => statements.filter((q) => q.includes('AS c_told')).length;
    const asked = (answer: Awaited<ReturnType<SearchService['ask']>>) => answer.trials[0];
    const first = asked(await a.ask(run.id, 'a', 1));
    const second = asked(await a.ask(run.id, 'a', 1));
    // a's second batch on the run found the row as its first left it: no count of all trials.
    expect(counted(await counter.during(() => a.tell(first.id, 'a', { value: first.simulatedValue! })))).toBe(0);
    // b changes the run: a's next batch counts again, and sees b's trial in the budget.
    const third = asked(await b.ask(run.id, 'b', 1));
    let last: Awaited<ReturnType<SearchService['ask']>> | null = null;
    const afterB = await counter.during(async () => (last = await a.ask(run.id, 'a', 3)));
    // a starts from what it knew, its check finds b's version of the run and nothing is written; served again, the
    // batch reads the run.
    expect(afterB.filter((q) => q.includes('nashub: stale run batch'))).toHaveLength(1);
    expect(counted(afterB)).toBe(1);
    expect(last!.trials).toHaveLength(1);
    for (const [trial, worker, by] of [
      [second, 'a', a],
      [third, 'b', b],
      [last!.trials[0], 'a', a],
    ] as const)
      await by.tell(trial.id, worker, { value: trial.simulatedValue! });
    const [{ told }] = (await server.store.dataSource.query(
      `SELECT count(*)::int AS told FROM search_trial WHERE run_id = $1 AND state = 'TOLD'`,
      [run.id],
    )) as Array<{ told: number }>;
    expect(told).toBe(4);
    expect((await a.ask(run.id, 'a', 1)).finished).toBe(true);
  });

  it('serves a batch whose transaction failed again one operation at a time, and only the failing one fails', async () => {
    const run = await service.createRun({ preset: 'nb201-cifar10-valid', strategy: 'RANDOM', budgetEvaluations: 5 });
    const rolledBack: number[] = [];
    const batcher = new RunBatcher(server.store.dataSource, (runId) => rolledBack.push(runId));
    const seen: Array<{ op: string; tx: EntityManager }> = [];
    const bump = (op: string) => ({
      apply: async (ctx: RunBatchContext) => {
        const tx = await ctx.flushed();
        seen.push({ op, tx });
        await tx.query(`UPDATE search_run SET lease_seconds = lease_seconds + 1 WHERE id = $1`, [ctx.run.id]);
        return () => op;
      },
    });
    const results = await Promise.allSettled([
      batcher.submit(run.id, bump('a')),
      batcher.submit(run.id, bump('b')),
      batcher.submit(run.id, {
        apply: async (ctx: RunBatchContext) => {
          const tx = await ctx.flushed();
          seen.push({ op: 'broken', tx });
          await tx.query(`SELECT 1 / 0`);
          return () => undefined;
        },
      }),
      batcher.submit(run.id, {
        check: () => {
          throw new NashubError(ErrorCode.CONFLICT, 'refused');
        },
        apply: async () => () => 'never',
      }),
      batcher.submit(run.id, bump('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(codeOf((results[3] as PromiseRejectedResult).reason)).toBe(ErrorCode.CONFLICT);
    expect(codeOf((results[2] as PromiseRejectedResult).reason)).not.toBe(ErrorCode.CONFLICT);
    // a alone; b, broken, the refused one and c together, stopped at broken and rolled back; then each on its own.
    expect(seen.map((s) => s.op)).toEqual(['a', 'b', 'broken', 'b', 'broken', 'c']);
    expect(new Set(seen.slice(1, 3).map((s) => s.tx)).size).toBe(1);
    expect(new Set(seen.slice(3).map((s) => s.tx)).size).toBe(3);
    expect(rolledBack).toEqual([run.id, run.id]);
    // The rolled-back batch left nothing: three bumps, one each for a, b and c.
    const [{ lease_seconds }] = (await server.store.dataSource.query(
      `SELECT lease_seconds FROM search_run WHERE id = $1`,
      [run.id],
    )) as Array<{ lease_seconds: number }>;
    expect(Number(lease_seconds)).toBe(run.leaseSeconds + 3);
  });

  it("commits nothing of a batch whose last writes disagree with the run's version: the check runs before the COMMIT", async () => {
    const run = await service.createRun({ preset: 'nb201-cifar10-valid', strategy: 'RANDOM', budgetEvaluations: 5 });
    const batcher = new RunBatcher(server.store.dataSource, () => undefined);
    const failed = await batcher
      .submit(run.id, {
        apply: async (ctx: RunBatchContext) => {
          // Moves the stored version behind the batch's back, then logs an ASK at the version the batch knows.
          await (
            await ctx.flushed()
          ).query(`UPDATE search_run SET version = version + 1, lease_seconds = 1 WHERE id = $1`, [ctx.run.id]);
          ctx.writes.logAsk(ctx.run.version, 1);
          return () => 'told';
        },
      })
      .then(
        () => null,
        (error: unknown) => error as Error,
      );
    expect(failed?.message).toMatch(/its batch logged from version 0 .* the run is at version 1/);
    const [stored] = (await server.store.dataSource.query(
      `SELECT version, lease_seconds, (SELECT count(*)::int FROM search_event WHERE run_id = $1) AS events
         FROM search_run WHERE id = $1`,
      [run.id],
    )) as Array<{ version: number; lease_seconds: number; events: number }>;
    expect([Number(stored.version), Number(stored.lease_seconds), stored.events]).toEqual([0, run.leaseSeconds, 0]);
  });

  it('fails alone an operation whose answer cannot be read once its batch committed, and serves nothing again', async () => {
    const run = await service.createRun({ preset: 'nb201-cifar10-valid', strategy: 'RANDOM', budgetEvaluations: 5 });
    const batcher = new RunBatcher(server.store.dataSource, () => undefined);
    const applied: string[] = [];
    const op = (name: string, read: () => string) => ({
      apply: async (ctx: RunBatchContext) => {
        applied.push(name);
        await (
          await ctx.flushed()
        ).query(`UPDATE search_run SET lease_seconds = lease_seconds + 1 WHERE id = $1`, [ctx.run.id]);
        return read;
      },
    });
    const results = await Promise.allSettled([
      batcher.submit(
        run.id,
        op('first', () => 'first'),
      ),
      batcher.submit(
        run.id,
        op('a', () => 'a'),
      ),
      batcher.submit(
        run.id,
        op('unreadable', () => {
          throw new Error('cannot read the answer');
        }),
      ),
      batcher.submit(
        run.id,
        op('b', () => 'b'),
      ),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      'first',
      'a',
      'cannot read the answer',
      'b',
    ]);
    // Each applied once: the batch of a, unreadable and b committed and was not served again.
    expect(applied).toEqual(['first', 'a', 'unreadable', 'b']);
    const [{ lease_seconds }] = (await server.store.dataSource.query(
      `SELECT lease_seconds FROM search_run WHERE id = $1`,
      [run.id],
    )) as Array<{ lease_seconds: number }>;
    expect(Number(lease_seconds)).toBe(run.leaseSeconds + 4);
  });
});
