import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store';
import { JobQueue, QueueName } from '../src/store/queue';
import { requestPredictorFit } from '../src/predictors';
import {
  ABANDONED_FIT_REASON,
  GIVEN_UP_FIT_REASON,
  failAbandonedFits,
  insertClaimedPredictor,
  insertPredictor,
  type NewPredictor,
} from '../src/store/predictor';
import { createDatabaseWithRuns } from './support/nb201-fixtures';
import { runNashub, spawnNashub } from './support/spawn-nashub';
import { onPostgres, type TestDatabase } from './support/test-database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `nashub fit` fits in its own process: a process killed mid-fit (SIGKILL: no handler runs) used to leave its predictor
 * TRAINING forever. The row is now claimed by the fitting process's session (PostgreSQL) or by its folder lock
 * (PGlite); the next fit, the next server start and every `predictors` read fail a row nothing claims.
 */
describe(`a fit whose process died is FAILED, not TRAINING forever (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-fit-abandoned-'));
    database = await createDatabaseWithRuns(dir, 60);
  }, 120_000);

  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const statuses = async (store: Store) =>
    (await store.dataSource.query(`SELECT id, status, error, job_id FROM predictor ORDER BY id`)) as Array<{
      id: number;
      status: string;
      error: string | null;
      job_id: string | null;
    }>;

  /** A LINEAR predictor of cifar10-valid hp=200 validAcc, as the fit paths insert it. */
  const predictorRequest = async (store: Store, seed: number): Promise<Omit<NewPredictor, 'jobId'>> => ({
    space: 'nb201',
    datasetId: Number((await store.dataSource.query(`SELECT id FROM dataset WHERE name = 'cifar10-valid'`))[0].id),
    protocolId: Number((await store.dataSource.query(`SELECT id FROM protocol WHERE name = 'hp=200'`))[0].id),
    metric: 'validAcc',
    epoch: null,
    kind: 'LINEAR',
    hyperparameters: {},
    seed,
    nashubVersion: 'test',
  });

  it('kill -9 of `nashub fit` mid-fit: the next fit fails the dead one and fits its own', async () => {
    const args = ['fit', '--space', 'nb201', '--dataset', 'cifar10-valid', '--kind', 'MLP', '--seed', '1'];
    const env = { ...database.env, NASHUB_LOG_LEVEL: 'info' };
    const killed = spawnNashub(args, env);
    // The fit reports its phases once its row is in; kill it in the middle, where no handler of its own runs.
    while (!/"phase"/.test(killed.stderr()) && killed.child.exitCode === null) await sleep(10);
    expect(killed.child.exitCode, 'the fit must still be running when it is killed').toBeNull();
    killed.child.kill('SIGKILL');
    await killed.exited;

    // A quick fit (LINEAR) is enough to run the check a fit makes first.
    const again = await runNashub([...args.slice(0, 6), 'LINEAR', '--seed', '2'], database.env);
    expect(again.code, again.stderr).toBe(0);
    const fitted = JSON.parse(again.lines.at(-1)!) as { predictor: { id: number } };
    const store = await openStore({ config: database.config });
    try {
      const rows = await statuses(store);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({ status: 'FAILED', error: ABANDONED_FIT_REASON });
      expect(rows[1]).toMatchObject({ id: fitted.predictor.id, status: 'READY' });
    } finally {
      await store.close();
    }
  }, 300_000);

  it('fails a TRAINING fit nothing claims, never a claimed one or a queued one', async () => {
    const store = await openStore({ config: database.config });
    const request = await predictorRequest(store, 9);
    try {
      const queued = await insertPredictor(store.dataSource.manager, {
        ...request,
        jobId: '00000000-0000-4000-8000-000000000001',
      });
      const unclaimed = await insertPredictor(store.dataSource.manager, request);
      if (!onPostgres) {
        // One process owns a PGlite folder: a fit of its own not running now is a dead process's.
        expect(await failAbandonedFits(store.dataSource.manager)).toEqual([unclaimed.id]);
        return;
      }
      const claimed = await insertClaimedPredictor(store.dataSource, request);
      // Another process (its own connections) sees the claim.
      const other = await openStore({ config: database.config, migrate: false });
      try {
        expect(await failAbandonedFits(other.dataSource.manager)).toEqual([unclaimed.id]);
        // The claiming session ends as a killed process's does.
        await other.dataSource.query(
          `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`,
          [claimed.row.id],
        );
        let failed: number[] = [];
        for (let i = 0; i < 100 && failed.length === 0; i++) {
          failed = await failAbandonedFits(other.dataSource.manager);
          if (failed.length === 0) await sleep(50);
        }
        expect(failed).toEqual([claimed.row.id]);
        await claimed.release();
      } finally {
        await other.close();
      }
      const rows = new Map((await statuses(store)).map((r) => [Number(r.id), r]));
      expect(rows.get(queued.id)!.status).toBe('TRAINING');
    } finally {
      await store.close();
    }
  });

  it('fails a queued fit once the queue gives up on its job, never while an attempt is to come', async () => {
    const store = await openStore({ config: database.config });
    const queue = await JobQueue.open(store);
    try {
      const row = await requestPredictorFit(store.dataSource, queue, await predictorRequest(store, 11));
      // Each attempt is claimed and then fails as a dead worker's does (pg-boss fails a job whose lease lapsed); the
      // queue's backoff between attempts is skipped, not its state machine.
      await store.dataSource.query(`UPDATE pgboss.job SET retry_delay = 0, retry_backoff = false WHERE id = $1`, [
        row.jobId,
      ]);
      const attempts: Array<{ state: string | null; failed: number[] }> = [];
      for (let attempt = 0; attempt < 10; attempt++) {
        const claimed = await queue.claim(QueueName.FIT_PREDICTOR);
        if (!claimed) {
          await sleep(50);
          continue;
        }
        expect(claimed.id).toBe(row.jobId);
        await queue.fail(QueueName.FIT_PREDICTOR, claimed.id, new Error('worker killed'));
        const state = await queue.state(QueueName.FIT_PREDICTOR, claimed.id);
        attempts.push({ state, failed: await failAbandonedFits(store.dataSource.manager) });
        if (state === 'failed') break;
      }
      // retry, retry (attempts to come: the row stays TRAINING), then failed: the row is FAILED, once.
      expect(attempts).toEqual([
        { state: 'retry', failed: [] },
        { state: 'retry', failed: [] },
        { state: 'failed', failed: [row.id] },
      ]);
      expect(await failAbandonedFits(store.dataSource.manager)).toEqual([]);
      const [after] = (await statuses(store)).filter((r) => Number(r.id) === row.id);
      expect(after).toMatchObject({ status: 'FAILED', error: GIVEN_UP_FIT_REASON });
    } finally {
      await queue.stop();
      await store.close();
    }
  });
});
