import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store';
import { JobQueue } from '../src/store/queue';
import { findTrainingJob, type TrainingJobRow } from '../src/store/training';
import { selectTrainingBackend, type TrainingBackendChoice } from '../src/trainer/backend/select-training-backend';
import { TrainerPool, type TrainerPoolOptions } from '../src/training';
import { datasetsPresent } from './support/datasets-present';
import { nb201Archs } from './support/nb201-fixtures';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';
import { FASHION_MNIST_DIR, tinyHyperparameters } from './support/tiny-protocol';
import { torchChildren } from './support/torch-children';
import { torchRuntimeOrSkip } from './support/torch-runtime';
import { requestOneTraining } from './support/request-one-training';

const EPOCHS = 3;
/** C=4, N=1 on 200 Fashion-MNIST images, with crop and flip: seconds per job on PyTorch. */
const TINY = {
  name: 'fmnist-tiny-torch-e3',
  epochs: EPOCHS,
  hyperparameters: tinyHyperparameters({ augmentation: { cropPadding: 2, horizontalFlip: true } }),
};
const runtime = datasetsPresent(FASHION_MNIST_DIR) ? torchRuntimeOrSkip() : null;

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(runtime === null)(
  `the pytorch backend behind the trainer (${onPostgres ? 'postgres' : 'pglite'})`,
  () => {
    let database: TestDatabase;
    let store: Store;
    let queue: JobQueue;
    let pytorch: TrainingBackendChoice;
    let datasetId: number;
    /** Three copies of TINY under other names: a job per test of the same arch and seed, so the same curve. */
    const protocolIds: number[] = [];
    const ARCH = nb201Archs(40)[33];
    /** The curve of the first test's uninterrupted job: the later jobs train the same arch, seed and settings. */
    let straight: number[] = [];
    const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });

    const request = async (protocolId: number): Promise<TrainingJobRow> => {
      const entry = await requestOneTraining(store.dataSource, queue, {
        arch: ARCH,
        datasetId,
        protocolId,
        epochs: EPOCHS,
        requestedBy: 'test',
      });
      // A failed attempt is retried at once, not after pg-boss's 10 s.
      await store.dataSource.query('UPDATE pgboss.job SET retry_delay = 0, retry_backoff = false WHERE id = $1', [
        entry.job!.id,
      ]);
      return entry.job!;
    };
    const pool = (extra: Partial<TrainerPoolOptions> = {}) =>
      new TrainerPool({
        store,
        queue,
        concurrency: 1,
        datasetsDir: FASHION_MNIST_DIR,
        backend: pytorch,
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
    const curve = async (runId: number): Promise<Record<string, number[]>> =>
      (await store.dataSource.query('SELECT * FROM run_curve WHERE run_id = $1', [runId]))[0];
    beforeAll(async () => {
      database = await createTestDatabase();
      store = await openStore({ config: database.config });
      queue = await JobQueue.open(store, { supervise: true, maintenanceIntervalSeconds: 1 });
      // One thread: the curve is the same for a given thread count, and the test shares the machine.
      pytorch = await selectTrainingBackend('pytorch', { env: { ...process.env, NASHUB_TORCH_THREADS: '1' } });
      for (const copy of ['a', 'b', 'c']) {
        const [{ id }] = await store.dataSource.query(
          'INSERT INTO protocol (name, epochs, hyperparameters) VALUES ($1, $2, $3) RETURNING id',
          [`${TINY.name}-${copy}`, TINY.epochs, JSON.stringify(TINY.hyperparameters)],
        );
        protocolIds.push(id);
      }
      [{ id: datasetId }] = await store.dataSource.query(`SELECT id FROM dataset WHERE name = 'fashion-mnist'`);
    });
    afterAll(async () => {
      await queue?.stop();
      await store?.close();
      await database?.drop();
    });

    it('trains a job end to end: epoch by epoch, a COMPLETE run whose hardware says pytorch', async () => {
      const requested = await request(protocolIds[0]);
      const epochs: number[] = [];
      const trainer = pool({ onEpoch: (_job, metrics) => epochs.push(metrics.epoch) });
      trainer.start();
      const done = await finished(requested.id);
      await trainer.stop();
      expect(done).toMatchObject({
        status: 'COMPLETED',
        epochsDone: EPOCHS,
        attempts: 1,
        backend: 'pytorch',
        error: null,
      });
      expect(done.device).toMatch(/^cpu \(1 thread; torch /);
      expect(epochs).toEqual([1, 2, 3]);
      const [run] = await store.dataSource.query('SELECT status, source, hardware, valid_acc FROM run WHERE id = $1', [
        done.runId,
      ]);
      expect(run).toMatchObject({ status: 'COMPLETE', source: 'TRAINED' });
      expect(run.hardware).toMatch(/^pytorch\/cpu \(1 thread; torch /);
      const c = await curve(done.runId!);
      straight = c.valid_acc;
      expect(run.valid_acc).toBe(c.valid_acc[EPOCHS - 1]);
      expect(torchChildren()).toEqual([]);
    });

    it('kill -9 of the Python process mid-job: the attempt fails, the next claim resumes from the checkpoint', async () => {
      const requested = await request(protocolIds[1]);
      const epochs: number[] = [];
      let killed = 0;
      const trainer = pool({
        onEpoch: (_job, metrics) => {
          epochs.push(metrics.epoch);
          if (metrics.epoch !== 1 || killed > 0) return;
          // The handler asks for epoch 2 next: the process is dead before or while it trains it.
          for (const pid of torchChildren()) process.kill(pid, 'SIGKILL');
          killed++;
        },
      });
      trainer.start();
      const done = await finished(requested.id);
      await trainer.stop();
      expect(killed).toBe(1);
      expect(done).toMatchObject({ status: 'COMPLETED', epochsDone: EPOCHS, attempts: 2, backend: 'pytorch' });
      // Epoch 1 is not trained again: the second attempt resumed from its checkpoint, and the curve is the one an
      // uninterrupted run trains.
      expect(epochs).toEqual([1, 2, 3]);
      expect((await curve(done.runId!)).valid_acc).toEqual(straight);
      expect(trainer.workers[0].counts).toMatchObject({ failed: 0 });
      expect(torchChildren()).toEqual([]);
    });

    it("refuses a wasm job's checkpoint, saying why, and trains the job again from epoch 0", async () => {
      const requested = await request(protocolIds[2]);
      const wasm = await selectTrainingBackend('wasm');
      const first = pool({ backend: wasm, onEpoch: () => void first.stop() });
      first.start();
      await until('the wasm worker to stop', async () => first.workers.every((w) => w.currentState === 'stopped'));
      expect(await job(requested.id)).toMatchObject({ status: 'QUEUED', epochsDone: 1, backend: 'wasm' });

      const epochs: number[] = [];
      const logged: { msg: string; reason?: string }[] = [];
      const second = pool({
        onEpoch: (_job, metrics) => epochs.push(metrics.epoch),
        logger: pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
      });
      second.start();
      const done = await finished(requested.id);
      await second.stop();
      expect(epochs).toEqual([1, 2, 3]);
      expect(done).toMatchObject({ status: 'COMPLETED', epochsDone: EPOCHS, backend: 'pytorch' });
      const restart = logged.find((entry) => entry.msg === 'checkpoint unusable: restarting the job from epoch 0');
      expect(restart?.reason).toMatch(/written by the wasm backend \(tfjs tensors\), which the pytorch backends/);
      expect((await curve(done.runId!)).valid_acc).toEqual(straight);
    });
  },
);
