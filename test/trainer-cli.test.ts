import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store';
import { JobQueue } from '../src/store/queue';
import { findTrainingJob } from '../src/store/training';
import { nb201Archs } from './support/nb201-fixtures';
import { spawnNashub } from './support/spawn-nashub';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';
import { datasetsPresent } from './support/datasets-present';
import { FASHION_MNIST_DIR, tinyHyperparameters } from './support/tiny-protocol';
import { requestOneTraining } from './support/request-one-training';

const DATASETS = FASHION_MNIST_DIR;
const EPOCHS = 20;
const HYPERPARAMETERS = tinyHyperparameters();

describe.skipIf(!datasetsPresent(DATASETS))(`nashub trainer CLI (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase;
  let jobId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const store = await openStore({ config: database.config });
    const queue = await JobQueue.open(store);
    try {
      const manager = store.dataSource.manager;
      const [{ id: protocolId }] = await manager.query(
        `INSERT INTO protocol (name, epochs, hyperparameters) VALUES ('fmnist-tiny-e20', $1, $2) RETURNING id`,
        [EPOCHS, JSON.stringify(HYPERPARAMETERS)],
      );
      const [{ id: datasetId }] = await manager.query(`SELECT id FROM dataset WHERE name = 'fashion-mnist'`);
      const entry = await requestOneTraining(store.dataSource, queue, {
        arch: nb201Archs(40)[39],
        datasetId,
        protocolId,
        epochs: EPOCHS,
      });
      jobId = entry.job!.id;
    } finally {
      await queue.stop();
      // PGlite admits one process per folder: the trainer child gets it to itself.
      await store.close();
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('trains until SIGTERM, then writes the epoch in hand, releases the job and exits 0', async () => {
    const proc = spawnNashub(['trainer', '--backend', 'wasm', '--datasets', DATASETS], {
      ...database.env,
      NASHUB_LOG_LEVEL: 'info',
    });
    const deadline = Date.now() + 120_000;
    while (!proc.stderr().includes('"msg":"epoch written"')) {
      if (proc.child.exitCode !== null) throw new Error(`trainer exited ${proc.child.exitCode}: ${proc.stderr()}`);
      if (Date.now() > deadline) throw new Error(`no epoch written: ${proc.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.stdout()).toContain('nashub trainer stopped');
    expect(proc.stderr()).toContain('job released after its epoch');

    const store = await openStore({ config: database.config });
    try {
      const job = (await findTrainingJob(store.dataSource.manager, jobId))!;
      expect(job).toMatchObject({ status: 'QUEUED', attempts: 1, hasCheckpoint: true, backend: 'wasm' });
      expect(job.epochsDone).toBeGreaterThanOrEqual(1);
      expect(job.epochsDone).toBeLessThan(EPOCHS);
      const [curve] = await store.dataSource.query('SELECT valid_acc FROM run_curve WHERE run_id = $1', [job.runId]);
      expect(curve.valid_acc).toHaveLength(job.epochsDone);
      const [boss] = await store.dataSource.query('SELECT state FROM pgboss.job WHERE id = $1', [jobId]);
      expect(boss.state).toBe('created');
    } finally {
      await store.close();
    }
  });
});
