import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchService, TrainingRunDriver, type DriverLogger } from '../src/search/service';
import { openStore, type Store } from '../src/store';
import { tryClaimSearchRunDriver } from '../src/store/search';
import { datasetsPresent } from './support/datasets-present';
import { onPostgres } from './support/test-database';
import { tinyHyperparameters } from './support/tiny-protocol';
import { FASHION_MNIST_DIR, startTrainingFixture, type TrainingFixture } from './support/training-fixture';

const TINY = { name: 'claim-tiny', epochs: 2, description: 'a test protocol', hyperparameters: tinyHyperparameters() };

/** A driver's log lines, kept. */
function recordingLogger(): DriverLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (_fields, message) => lines.push(message), error: (_fields, message) => lines.push(message) };
}

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Several API processes on one PostgreSQL database each resume every TRAINING run: a run's claim (an advisory lock on a
 * connection of the driving process) lets one of them drive it, and another take over when that one stops or dies.
 */
describe.skipIf(!onPostgres || !datasetsPresent(FASHION_MNIST_DIR))(
  'one driver per TRAINING search run (postgres)',
  () => {
    let f: TrainingFixture;
    /** A second process's connections to the same database. */
    let other: Store;

    beforeAll(async () => {
      f = await startTrainingFixture([TINY]);
      other = await openStore({ config: f.t.database.config, migrate: false });
    }, 120_000);

    afterAll(async () => {
      await other?.close();
      await f?.close();
    });

    it('is held by one session at a time, given back on release and when its connection dies', async () => {
      const held = await tryClaimSearchRunDriver(f.t.store.dataSource, 9001);
      expect(held).not.toBeNull();
      expect(await tryClaimSearchRunDriver(other.dataSource, 9001)).toBeNull();
      await held!.release();
      const taken = await tryClaimSearchRunDriver(other.dataSource, 9001);
      expect(taken).not.toBeNull();
      // The holder's connection ends (its process died): PostgreSQL drops the lock.
      await f.t.store.dataSource.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = 9001 AND granted`,
      );
      await until(() => taken!.lost.aborted, 'the holder to see its claim lost');
      await taken!.release();
      const again = await tryClaimSearchRunDriver(f.t.store.dataSource, 9001);
      expect(again).not.toBeNull();
      await again!.release();
    });

    it('drives a run in one process while another stands by, which takes the run over when the first stops', async () => {
      const run = await new SearchService(f.t.store.dataSource).createRun({
        space: 'nb201',
        dataset: 'fashion-mnist',
        protocol: TINY.name,
        strategy: 'RANDOM',
        budgetEvaluations: 6,
        seed: 2,
        mode: 'TRAINING',
      });
      const driverOf = (store: Store, logger: DriverLogger) =>
        new TrainingRunDriver({
          dataSource: store.dataSource,
          service: new SearchService(store.dataSource),
          queue: async () => f.queue,
          logger,
          pollMs: 100,
          claimRetryMs: 100,
          claim: (runId) => tryClaimSearchRunDriver(store.dataSource, runId),
        });
      const first = recordingLogger();
      const second = recordingLogger();
      const a = driverOf(f.t.store, first);
      const b = driverOf(other, second);
      const outstanding = async () =>
        Number(
          (
            await f.t.store.dataSource.query(
              `SELECT count(*) AS n FROM search_trial WHERE run_id = $1 AND state IN ('ASKED', 'RUNNING')`,
              [run.id],
            )
          )[0].n,
        );
      try {
        a.start(run.id);
        // No trainer runs here: the first driver asks its two trials and waits for their jobs.
        await until(async () => (await outstanding()) === 2, 'the first driver to ask');
        b.start(run.id);
        await until(
          () => second.lines.includes('another process drives this TRAINING search run; standing by'),
          'standby',
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(await outstanding()).toBe(2);
        expect(second.lines).not.toContain('driving a TRAINING search run');

        await a.close();
        await until(() => second.lines.includes('driving a TRAINING search run'), 'the takeover');
        // It took the first one's two trials over (their jobs are still queued) and asked nothing more.
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(await outstanding()).toBe(2);
        expect(first.lines.filter((l) => l === 'driving a TRAINING search run')).toHaveLength(1);
      } finally {
        await a.close();
        await b.close();
      }
    });
  },
);
