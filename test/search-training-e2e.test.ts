import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrainingSearch } from '../src/search/run/run-training-search';
import { resolveSearchSpec } from '../src/search/run/search-spec';
import { findRunsById, loadRunCurves } from '../src/store/training';
import { onPostgres } from './support/test-database';
import { FASHION_MNIST_DIR, startTrainingFixture, type TrainingFixture } from './support/training-fixture';
import { datasetsPresent } from './support/datasets-present';
import { tinyHyperparameters } from './support/tiny-protocol';

/** Trains in seconds on wasm: C=4, N=1, 200 training images, 100 for validation and test. */
const TINY = {
  name: 'search-tiny-e2',
  epochs: 2,
  description: 'a test protocol',
  hyperparameters: tinyHyperparameters(),
};

/** TINY over 5 epochs, with no early-stopping rule of its own: only the search stops its jobs. */
const TINY5 = { ...TINY, name: 'search-tiny-e5', epochs: 5 };

/**
 * A search in training mode end to end on the embedded default (or PostgreSQL): the strategy asks, unmeasured
 * architectures become training jobs, the in-process wasm trainer trains them, the run observes what it wrote and
 * returns the best; a second run of the same seed finds every architecture measured and trains nothing.
 */
describe.skipIf(!datasetsPresent(FASHION_MNIST_DIR))(
  `a search in training mode (${onPostgres ? 'postgres' : 'pglite'})`,
  () => {
    let f: TrainingFixture;
    const jobCount = async () =>
      (await f.t.store.dataSource.manager.query('SELECT count(*)::int AS n FROM training_job'))[0].n as number;

    beforeAll(async () => {
      f = await startTrainingFixture([TINY, TINY5]);
      f.pool.start();
    }, 120_000);

    afterAll(async () => {
      await f?.close();
    });

    const search = (
      protocol: string,
      evaluations: number,
      earlyStopping: { threshold: number; minEpochFraction: number } | null,
    ) =>
      runTrainingSearch({
        store: f.t.store,
        queue: f.queue,
        spec: resolveSearchSpec({
          space: 'nb201',
          dataset: 'fashion-mnist',
          protocol,
          strategy: 'RANDOM',
          budgetEvaluations: evaluations,
          seed: 1,
        }),
        trainingSeed: 0,
        earlyStopping,
        pollMs: 100,
        priority: 0,
        requestedBy: 'test',
      });

    it('trains what the store lacks, observes the results, and returns the best; then reuses them', async () => {
      const report = await search(TINY.name, 3, null);
      expect(report).toMatchObject({
        mode: 'TRAINING',
        evaluations: 3,
        fromRecords: 0,
        stoppedEarly: 0,
        failed: 0,
        final: { protocol: TINY.name, metric: 'validAcc' },
      });
      expect(await jobCount()).toBe(3);
      const jobs: Array<{ arch: string; status: string; run_id: number }> = await f.t.store.dataSource.manager.query(
        'SELECT a.arch, j.status, j.run_id FROM training_job j JOIN architecture a ON a.id = j.architecture_id',
      );
      expect(jobs.every((j) => j.status === 'COMPLETED')).toBe(true);
      const runs = await findRunsById(
        f.t.store.dataSource.manager,
        jobs.map((j) => j.run_id),
      );
      const trained = new Map(jobs.map((j) => [j.arch, runs.get(j.run_id)!.values.validAcc!]));
      const best = Math.max(...trained.values());
      expect(report.final.value).toBe(best);
      expect(report.observed.value).toBe(best);
      expect(trained.get(report.arch!)).toBe(best);

      const again = await search(TINY.name, 3, null);
      expect(again).toMatchObject({ evaluations: 3, fromRecords: 3, arch: report.arch, final: report.final });
      expect(await jobCount()).toBe(3);
    }, 600_000);

    it('a TRAINING search run created over the API has the trainer train its trials and tells itself', async () => {
      const created = await f.gql<{ createSearchRun: { id: string; mode: string } }>(
        `mutation($input: CreateSearchRunInput!) { createSearchRun(input: $input) { id mode } }`,
        {
          input: {
            space: 'nb201',
            dataset: 'fashion-mnist',
            protocol: TINY.name,
            strategy: 'RANDOM',
            budgetEvaluations: 2,
            seed: 5,
            mode: 'TRAINING',
          },
        },
        true,
      );
      expect(created.errors).toBeUndefined();
      const id = created.data!.createSearchRun.id;
      type Run = {
        status: string;
        budgetUsed: { evaluations: number };
        best: { architecture: { arch: string }; value: number; finalValue: number | null } | null;
        trials: {
          edges: Array<{ node: { state: string; worker: string; value: number; architecture: { arch: string } } }>;
        };
      };
      let run: Run | null = null;
      for (let i = 0; i < 600 && run?.status !== 'FINISHED'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        run = (
          await f.gql<{ searchRun: Run }>(
            `query($id: ID!) { searchRun(id: $id) { status budgetUsed { evaluations }
              best { architecture { arch } value finalValue }
              trials { edges { node { state worker value architecture { arch } } } } } }`,
            { id },
          )
        ).data!.searchRun;
      }
      expect(run!.status).toBe('FINISHED');
      expect(run!.budgetUsed.evaluations).toBe(2);
      const trials = run!.trials.edges.map((e) => e.node);
      expect(trials.map((t) => [t.state, t.worker])).toEqual([
        ['TOLD', 'nashub-trainer'],
        ['TOLD', 'nashub-trainer'],
      ]);
      // What each trial was told is what the trainer wrote for it.
      const written: Array<{ arch: string; valid_acc: number }> = await f.t.store.dataSource.manager.query(
        `SELECT a.arch, r.valid_acc FROM run r JOIN architecture a ON a.id = r.architecture_id
           JOIN protocol p ON p.id = r.protocol_id WHERE p.name = $1 AND r.status = 'COMPLETE'`,
        [TINY.name],
      );
      const byArch = new Map(written.map((w) => [w.arch, Number(w.valid_acc)]));
      for (const trial of trials) expect(trial.value).toBeCloseTo(byArch.get(trial.architecture.arch)!, 9);
      const best = trials.reduce((a, b) => (b.value > a.value ? b : a));
      expect(run!.best).toMatchObject({ architecture: { arch: best.architecture.arch }, value: best.value });
      expect(run!.best!.finalValue).toBeCloseTo(best.value, 9);
    }, 600_000);

    it('with early stopping on, cancels jobs forecast to lose against the best it has seen, and observes their partial curves', async () => {
      // Threshold 1: every judged job whose forecast is not certain to win stops at 2 of 5 epochs, once one has finished.
      const before = await jobCount();
      const report = await search(TINY5.name, 3, { threshold: 1, minEpochFraction: 0.4 });
      expect(report).toMatchObject({ evaluations: 3, fromRecords: 0, failed: 0 });
      expect(report.stoppedEarly).toBeGreaterThanOrEqual(1);
      const jobs: Array<{ arch: string; status: string; run_id: number; epochs_done: number }> =
        await f.t.store.dataSource.manager.query(
          `SELECT a.arch, j.status, j.run_id, j.epochs_done FROM training_job j JOIN architecture a ON a.id = j.architecture_id
        JOIN protocol p ON p.id = j.protocol_id WHERE p.name = $1 ORDER BY j.created_at`,
          [TINY5.name],
        );
      expect(jobs).toHaveLength(3);
      expect(await jobCount()).toBe(before + 3);
      // The first never stops (nothing to beat yet); the stopped ones are CANCELLED before their last epoch.
      expect(jobs[0]).toMatchObject({ status: 'COMPLETED', epochs_done: 5 });
      const cancelled = jobs.filter((j) => j.status === 'CANCELLED');
      expect(cancelled).toHaveLength(report.stoppedEarly);
      const curves = await loadRunCurves(
        f.t.store.dataSource.manager,
        cancelled.map((j) => j.run_id),
      );
      for (const job of cancelled) {
        expect(job.epochs_done).toBeGreaterThanOrEqual(2);
        expect(job.epochs_done).toBeLessThan(5);
        expect(curves.get(job.run_id)!.validAcc.filter((v) => v !== null).length).toBeGreaterThanOrEqual(2);
      }
      // What it returns finished its schedule.
      expect(report.arch).toBe(jobs.find((j) => j.status === 'COMPLETED' && report.arch === j.arch)?.arch);
    }, 600_000);
  },
);
