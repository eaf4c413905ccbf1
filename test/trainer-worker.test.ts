import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store';
import { JobQueue } from '../src/store/queue';
import { cancelTrainingJob, findTrainingJob, type TrainingJobRow } from '../src/store/training';
import { selectTrainingBackend, type TrainingBackendChoice } from '../src/trainer/backend/select-training-backend';
import type { TrainingSession } from '../src/trainer/session/training-session';
import { TrainerPool, type TrainerPoolOptions } from '../src/training';
import { nb201Archs } from './support/nb201-fixtures';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';
import { datasetsPresent } from './support/datasets-present';
import { FASHION_MNIST_DIR, tinyHyperparameters } from './support/tiny-protocol';
import { requestOneTraining } from './support/request-one-training';

const DATASETS = FASHION_MNIST_DIR;
const EPOCHS = 3;

/** Trains in seconds on wasm: C=4, N=1, 200 training images, 100 for validation and test. */
const TINY = {
  name: 'fmnist-tiny-e3',
  epochs: EPOCHS,
  hyperparameters: tinyHyperparameters(),
};

type Json = Record<string, any>;

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!datasetsPresent(DATASETS))(
  `nashub trainer worker on real Fashion-MNIST (${onPostgres ? 'postgres' : 'pglite'})`,
  () => {
    let database: TestDatabase;
    let store: Store;
    let queue: JobQueue;
    let backend: TrainingBackendChoice;
    let datasetId: number;
    let protocolId: number;
    let predictorId: number;
    const archs = nb201Archs(6);
    const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });

    const request = async (arch: string): Promise<TrainingJobRow> => {
      const entry = await requestOneTraining(store.dataSource, queue, {
        arch: arch,
        datasetId,
        protocolId,
        epochs: EPOCHS,
        requestedBy: 'test',
      });
      return entry.job!;
    };
    const pool = (extra: Partial<TrainerPoolOptions> = {}) =>
      new TrainerPool({
        store,
        queue,
        concurrency: 1,
        datasetsDir: DATASETS,
        backend,
        leaseSeconds: 600,
        logger,
        pollIntervalMs: 100,
        reconcileIntervalMs: 500,
        ...extra,
      });
    const job = async (id: string) => (await findTrainingJob(store.dataSource.manager, id))!;
    const finished = (id: string) =>
      until(`job ${id} to finish`, async () => {
        const row = await job(id);
        return ['COMPLETED', 'STOPPED_EARLY', 'FAILED', 'CANCELLED'].includes(row.status) ? row : null;
      });
    const curve = async (runId: number): Promise<Json> =>
      (await store.dataSource.query('SELECT * FROM run_curve WHERE run_id = $1', [runId]))[0];
    const run = async (runId: number): Promise<Json> =>
      (await store.dataSource.query('SELECT * FROM run WHERE id = $1', [runId]))[0];

    beforeAll(async () => {
      database = await createTestDatabase();
      store = await openStore({ config: database.config });
      queue = await JobQueue.open(store, { supervise: true, maintenanceIntervalSeconds: 1 });
      backend = await selectTrainingBackend('wasm');
      const manager = store.dataSource.manager;
      [{ id: protocolId }] = await manager.query(
        'INSERT INTO protocol (name, epochs, hyperparameters) VALUES ($1, $2, $3) RETURNING id',
        [TINY.name, TINY.epochs, JSON.stringify(TINY.hyperparameters)],
      );
      [{ id: datasetId }] = await manager.query(`SELECT id FROM dataset WHERE name = 'fashion-mnist'`);
      [{ id: predictorId }] = await manager.query(
        `INSERT INTO predictor (space, dataset_id, protocol_id, metric, kind, seed, weights, status, nashub_version)
       VALUES ('nb201', $1, $2, 'validAcc', 'MLP', 0, '\\x00'::bytea, 'READY', 'test') RETURNING id`,
        [datasetId, protocolId],
      );
    });
    afterAll(async () => {
      await queue?.stop();
      await store?.close();
      await database?.drop();
    });

    it('trains a job to a COMPLETE TRAINED run, epoch by epoch, and marks the READY predictor STALE', async () => {
      const requested = await request(archs[0]);
      const epochs: number[] = [];
      const trainer = pool({ onEpoch: (_job, metrics) => epochs.push(metrics.epoch) });
      trainer.start();
      const done = await finished(requested.id);
      await trainer.stop();
      expect(done).toMatchObject({
        status: 'COMPLETED',
        epochsDone: EPOCHS,
        attempts: 1,
        hasCheckpoint: false,
        backend: 'wasm',
        error: null,
      });
      expect(epochs).toEqual([1, 2, 3]);
      const row = await run(done.runId!);
      expect(row).toMatchObject({ status: 'COMPLETE', source: 'TRAINED', seed: 0 });
      expect(row.hardware).toMatch(/^wasm\//);
      const c = await curve(done.runId!);
      for (const column of [
        'train_acc',
        'valid_acc',
        'test_acc',
        'train_loss',
        'valid_loss',
        'test_loss',
        'epoch_seconds',
      ]) {
        expect(c[column], column).toHaveLength(EPOCHS);
        for (const value of c[column]) expect(Number.isFinite(value), column).toBe(true);
      }
      for (const acc of c.valid_acc) {
        expect(acc).toBeGreaterThanOrEqual(0);
        expect(acc).toBeLessThanOrEqual(100);
      }
      expect(row.valid_acc).toBe(c.valid_acc[EPOCHS - 1]);
      expect(row.train_seconds).toBeCloseTo(
        c.epoch_seconds.reduce((a: number, b: number) => a + b, 0),
        6,
      );
      const [predictor] = await store.dataSource.query('SELECT status FROM predictor WHERE id = $1', [predictorId]);
      expect(predictor.status).toBe('STALE');
      expect(await queue.state('train', requested.id)).toBe('completed');
      // Asking again answers with the run, not a job.
      const again = await requestOneTraining(store.dataSource, queue, {
        arch: archs[0],
        datasetId,
        protocolId,
        epochs: EPOCHS,
      });
      expect(again).toMatchObject({ job: null, runId: done.runId, isNew: false });
    });

    it('resumes after a worker stops between epochs: the next worker continues at epoch 2 and writes each epoch once', async () => {
      const requested = await request(archs[1]);
      const first = pool({ onEpoch: () => void first.stop() });
      first.start();
      await until('the first worker to stop', async () => first.workers.every((w) => w.currentState === 'stopped'));
      const released = await job(requested.id);
      expect(released).toMatchObject({ status: 'QUEUED', epochsDone: 1, hasCheckpoint: true, attempts: 1 });
      expect(await queue.state('train', requested.id)).toBe('created');
      expect((await curve(released.runId!)).valid_acc).toHaveLength(1);

      const epochs: number[] = [];
      const second = pool({ onEpoch: (_job, metrics) => epochs.push(metrics.epoch) });
      second.start();
      const done = await finished(requested.id);
      await second.stop();
      expect(epochs).toEqual([2, 3]);
      expect(done).toMatchObject({ status: 'COMPLETED', epochsDone: EPOCHS, attempts: 2 });
      const c = await curve(done.runId!);
      expect(c.valid_acc).toHaveLength(EPOCHS);
      expect(c.epoch_seconds).toHaveLength(EPOCHS);
      expect((await run(done.runId!)).status).toBe('COMPLETE');
    });

    it('retries a job whose worker stopped answering once pg-boss maintenance sees its lease lapse', async () => {
      const requested = await request(archs[2]);
      let wake: () => void = () => undefined;
      const hung = new Promise<void>((resolve) => (wake = resolve));
      // A worker that claims the job and then hangs inside its first epoch, never writing or heartbeating.
      const stuck = pool({
        openSession: async (options): Promise<TrainingSession> => ({
          epochsDone: 0,
          totalEpochs: options.protocol.epochs,
          backend: 'fake',
          device: 'stuck',
          parameterCount: 0,
          runEpoch: async () => {
            await hung;
            return {
              epoch: 1,
              trainLoss: 1,
              trainAcc: 1,
              validLoss: 1,
              validAcc: 1,
              testLoss: 1,
              testAcc: 1,
              learningRate: 0.1,
              seconds: 1,
            };
          },
          checkpoint: async () => new Uint8Array([1]),
          dispose: () => undefined,
        }),
      });
      stuck.start();
      await until('the stuck worker to claim', async () => (await job(requested.id)).status === 'RUNNING');
      // Lapse the lease in a second, with an immediate retry.
      await store.dataSource.query('UPDATE pgboss.job SET retry_delay = 0, retry_backoff = false WHERE id = $1', [
        requested.id,
      ]);
      await queue.extendLease(requested.id, 1);
      const rescuer = pool();
      rescuer.start();
      const done = await finished(requested.id);
      await rescuer.stop();
      expect(done).toMatchObject({ status: 'COMPLETED', epochsDone: EPOCHS, attempts: 2, backend: 'wasm' });
      expect((await curve(done.runId!)).valid_acc).toHaveLength(EPOCHS);
      // The stuck worker wakes up, finds the job no longer its own, writes nothing and moves on.
      wake();
      await stuck.stop();
      expect(stuck.workers[0].counts).toMatchObject({ settled: 1, failed: 0 });
      expect((await curve(done.runId!)).valid_acc).toHaveLength(EPOCHS);
      expect((await job(requested.id)).status).toBe('COMPLETED');
    });

    it('stops a cancelled job at the next epoch boundary and moves on', async () => {
      const requested = await request(archs[3]);
      const trainer = pool({
        onEpoch: (row, metrics) => void (metrics.epoch === 1 && cancelTrainingJob(store.dataSource, queue, row.id)),
      });
      trainer.start();
      const done = await finished(requested.id);
      await until('the worker to move on', async () => trainer.workers[0].counts.settled === 1);
      await trainer.stop();
      expect(done.status).toBe('CANCELLED');
      expect((await job(requested.id)).epochsDone).toBeLessThan(EPOCHS);
      expect((await run(done.runId!)).status).toBe('FAILED');
      expect(await queue.state('train', requested.id)).toBe('cancelled');
    });
  },
);
