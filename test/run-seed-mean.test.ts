import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from 'typeorm';
import { openStore, type Store } from '../src/store';
import { importFile, resolveMapping } from '../src/store/import';
import { JobQueue } from '../src/store/queue';
import { importRelease, publishRelease } from '../src/store/release';
import { loadRecords } from '../src/store/record/load-records';
import { failTrainingAttempt, finishTrainingJob, recordTrainingEpoch, startTrainingJob } from '../src/store/training';
import { importApiFixtures } from './support/api-fixtures';
import { nb201Archs } from './support/nb201-fixtures';
import { fakeEpochMetrics, requestOneTraining } from './support/request-one-training';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

const VALUES = ['train_acc', 'valid_acc', 'test_acc', 'train_loss', 'valid_loss', 'test_loss', 'train_seconds'];

/**
 * The seed means aggregated from `run` now, written independently of the migration's triggers, as `key: row` lines,
 * beside run_seed_mean's rows with a record: the two must be equal (to the bit: the same sums in the same order).
 */
async function bothSides(manager: EntityManager): Promise<{ aggregated: string[]; kept: string[] }> {
  const line = (rows: Array<Record<string, unknown>>) =>
    rows.map((r) => JSON.stringify(Object.values(r))).sort((a, b) => a.localeCompare(b));
  const aggregated = await manager.query(
    `SELECT r.architecture_id, r.dataset_id, r.protocol_id, count(*)::int AS runs,
            coalesce(nullif(count(*) FILTER (WHERE r.seed IS NOT NULL), 0), max(r.seed_count) FILTER (WHERE r.seed IS NULL))::int AS seed_count,
            CASE WHEN count(DISTINCT r.source) = 1 THEN min(r.source) ELSE 'MIXED' END AS source,
            ${VALUES.map((c) => `coalesce(avg(r.${c} ORDER BY r.seed) FILTER (WHERE r.seed IS NOT NULL), max(r.${c}) FILTER (WHERE r.seed IS NULL)) AS ${c}`).join(', ')}
       FROM run r WHERE r.status = 'COMPLETE' GROUP BY 1, 2, 3`,
  );
  const kept = await manager.query(
    `SELECT architecture_id, dataset_id, protocol_id, runs, seed_count, source, ${VALUES.join(', ')}
       FROM run_seed_mean WHERE runs > 0`,
  );
  return { aggregated: line(aggregated), kept: line(kept) };
}

/** Expects run_seed_mean to hold exactly the aggregation over `run`; returns how many records it holds. */
async function expectKeptEqualsAggregate(manager: EntityManager): Promise<number> {
  const { aggregated, kept } = await bothSides(manager);
  expect(kept).toEqual(aggregated);
  return kept.length;
}

/** The kept row of one architecture (by arch text) on a dataset under hp=200, or undefined. */
async function keptRow(manager: EntityManager, arch: string, dataset: string): Promise<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = await manager.query(
    `SELECT s.* FROM run_seed_mean s JOIN architecture a ON a.id = s.architecture_id
       JOIN dataset d ON d.id = s.dataset_id JOIN protocol p ON p.id = s.protocol_id
      WHERE a.arch = $1 AND d.name = $2 AND p.name = 'hp=200'`,
    [arch, dataset],
  );
  return rows[0];
}

describe(`run_seed_mean: seed means kept by every write to run (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let dir: string;
  let database: TestDatabase;
  let store: Store;
  let manager: EntityManager;
  const archs = nb201Archs(3);
  const seedsMapping = resolveMapping({
    arch: 'arch',
    seed: 'seed',
    dataset: { value: 'cifar10-valid' },
    protocol: { value: 'hp=200' },
    accuracyScale: 'percent',
    metrics: { validAcc: 'valid_acc', testAcc: 'test_acc' },
  });
  const importCsv = async (name: string, text: string, replace: boolean) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return importFile({ dataSource: store.dataSource, space: 'nb201', file, mapping: seedsMapping, replace });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-seed-mean-'));
    database = await createTestDatabase();
    store = await openStore({ config: database.config });
    manager = store.dataSource.manager;
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an import of seeds and published means adds their records, equal to the aggregate and to record', async () => {
    await importApiFixtures(store.dataSource);
    // 120 cells x (cifar10-valid seeds, cifar100 published means) + 5 cells with curves under p3.
    expect(await expectKeptEqualsAggregate(manager)).toBe(245);
    const [ids]: Array<{ space: string; hash: string; d: number; p: number; epochs: number }> = await manager.query(
      `SELECT a.space, a.hash, d.id AS d, p.id AS p, p.epochs FROM architecture a, dataset d, protocol p
        WHERE a.arch = $1 AND d.name = 'cifar10-valid' AND p.name = 'hp=200'`,
      [archs[0]],
    );
    const [record] = await loadRecords(manager, [
      {
        space: ids.space,
        hash: ids.hash,
        datasetId: ids.d,
        protocolId: ids.p,
        epoch: ids.epochs,
        lastEpoch: ids.epochs,
        choice: { mode: 'MEAN' },
      },
    ]);
    expect(await keptRow(manager, archs[0], 'cifar10-valid')).toMatchObject({
      runs: 2,
      seed_count: 2,
      source: 'IMPORTED',
      valid_acc: record!.values.validAcc!.mean,
    });
  });

  it('an import that fills values of stored runs (an UPDATE) and adds a seed refreshes their records', async () => {
    const before = await keptRow(manager, archs[1], 'cifar10-valid');
    expect(before.test_acc).toBeNull();
    await importCsv('fill.csv', `arch,seed,valid_acc,test_acc\n${archs[1]},1,,40\n${archs[1]},3,,60\n`, false);
    expect(await keptRow(manager, archs[1], 'cifar10-valid')).toMatchObject({
      runs: 3,
      seed_count: 3,
      valid_acc: before.valid_acc, // seed 3 has no valid_acc: still the mean of seeds 1 and 2
      test_acc: 50,
    });
    await expectKeptEqualsAggregate(manager);
  });

  it('an import with --replace that changes a stored value refreshes its record', async () => {
    const before = await keptRow(manager, archs[2], 'cifar10-valid');
    await importCsv('replace.csv', `arch,seed,valid_acc,test_acc\n${archs[2]},1,10,\n`, true);
    const after = await keptRow(manager, archs[2], 'cifar10-valid');
    expect(after.valid_acc).not.toBe(before.valid_acc);
    await expectKeptEqualsAggregate(manager);
  });

  it("a trainer's run counts when it finishes COMPLETE, not while RUNNING, FAILED or STOPPED_EARLY", async () => {
    const queue = await JobQueue.open(store);
    try {
      const [{ id: datasetId }] = await manager.query(`SELECT id FROM dataset WHERE name = 'cifar10-valid'`);
      const [{ id: protocolId }] = await manager.query(
        `INSERT INTO protocol (name, epochs, hyperparameters, description) VALUES ('tiny-e2', 2, '{}', 'two epochs') RETURNING id`,
      );
      const kept = await expectKeptEqualsAggregate(manager);
      const train = async (arch: string, end: 'COMPLETED' | 'STOPPED_EARLY' | 'FAILED') => {
        const entry = await requestOneTraining(store.dataSource, queue, { arch, datasetId, protocolId, epochs: 2 });
        const jobId = entry.job!.id;
        const worker = `seed-mean-${end}`;
        await startTrainingJob(store.dataSource, queue, { jobId, worker, backend: 'fake', device: 'none' });
        expect(await expectKeptEqualsAggregate(manager)).toBe(kept); // a RUNNING run is no record
        const metrics = fakeEpochMetrics(1);
        await recordTrainingEpoch(store.dataSource, queue, {
          jobId,
          worker,
          metrics,
          checkpoint: new Uint8Array([1]),
          leaseSeconds: 60,
        });
        if (end === 'FAILED') {
          const error = new Error('fake failure');
          await failTrainingAttempt(store.dataSource, queue, { jobId, worker, error, permanent: true });
        } else {
          const options = { jobId, worker, status: end, hardware: 'fake/none', nashubVersion: '0.0.0-test' } as const;
          expect(await finishTrainingJob(store.dataSource, queue, options)).toBe(true);
        }
        return expectKeptEqualsAggregate(manager);
      };
      expect(await train(archs[0], 'FAILED')).toBe(kept);
      expect(await train(archs[1], 'STOPPED_EARLY')).toBe(kept);
      expect(await train(archs[2], 'COMPLETED')).toBe(kept + 1);
      const [row]: Array<{ runs: number; source: string; valid_acc: number }> = await manager.query(
        'SELECT runs, source, valid_acc FROM run_seed_mean WHERE protocol_id = $1 AND runs > 0',
        [protocolId],
      );
      expect(row).toEqual({ runs: 1, source: 'TRAINED', valid_acc: fakeEpochMetrics(1).validAcc });
    } finally {
      await queue.stop();
    }
  });

  it("a release's import into another store gives it the same records", async () => {
    const byName = async (m: EntityManager) =>
      (
        await m.query(
          `SELECT a.hash, d.name AS dataset, p.name AS protocol, s.runs, s.seed_count, s.source, s.valid_acc, s.test_acc
             FROM run_seed_mean s JOIN architecture a ON a.id = s.architecture_id
             JOIN dataset d ON d.id = s.dataset_id JOIN protocol p ON p.id = s.protocol_id
            WHERE s.runs > 0 ORDER BY 1, 2, 3`,
        )
      ).map((r: Record<string, unknown>) => JSON.stringify(r));
    const { dir: releaseDir } = await publishRelease({
      dataSource: store.dataSource,
      name: 'seed-means',
      version: '1',
      outDir: join(dir, 'release'),
      nashubVersion: '0.0.0-test',
      filter: {},
    });
    const targetDatabase = await createTestDatabase();
    const target = await openStore({ config: targetDatabase.config });
    try {
      await importRelease({ dataSource: target.dataSource, dir: releaseDir, replace: false });
      await expectKeptEqualsAggregate(target.dataSource.manager);
      expect(await byName(target.dataSource.manager)).toEqual(await byName(manager));
    } finally {
      await target.close();
      await targetDatabase.drop();
    }
  });

  it('a deleted run leaves its record (and a key without COMPLETE runs has none)', async () => {
    const kept = await expectKeptEqualsAggregate(manager);
    await manager.query(
      `DELETE FROM run WHERE seed = 1 AND architecture_id = (SELECT id FROM architecture WHERE arch = $1)
         AND dataset_id = (SELECT id FROM dataset WHERE name = 'cifar10-valid')
         AND protocol_id = (SELECT id FROM protocol WHERE name = 'hp=200')`,
      [archs[1]],
    );
    expect((await keptRow(manager, archs[1], 'cifar10-valid')).runs).toBe(2);
    await manager.query(
      `DELETE FROM run WHERE architecture_id = (SELECT id FROM architecture WHERE arch = $1)
         AND dataset_id = (SELECT id FROM dataset WHERE name = 'cifar100')`,
      [archs[0]],
    );
    expect(await expectKeptEqualsAggregate(manager)).toBe(kept - 1);
    expect((await keptRow(manager, archs[0], 'cifar100')).runs).toBe(0);
  });

  it('the migration fills the table from the runs a store already holds', async () => {
    const { kept } = await bothSides(manager);
    await store.dataSource.undoLastMigration({ transaction: 'all' });
    await store.dataSource.runMigrations({ transaction: 'all' });
    expect((await bothSides(manager)).kept).toEqual(kept);
  });

  it.skipIf(!onPostgres)(
    'two transactions writing runs of one key at once both count (the second reads after the first commits)',
    async () => {
      const first = store.dataSource.createQueryRunner();
      const second = store.dataSource.createQueryRunner();
      try {
        const update = `UPDATE run SET valid_acc = $2 WHERE seed = $1 AND dataset_id = (SELECT id FROM dataset WHERE name = 'cifar10-valid')
                           AND architecture_id = (SELECT id FROM architecture WHERE arch = $3)`;
        await first.startTransaction();
        await second.startTransaction();
        await first.query(update, [1, 70, archs[2]]);
        const waiting = second.query(update, [2, 90, archs[2]]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await first.commitTransaction();
        await waiting;
        await second.commitTransaction();
      } finally {
        await first.release();
        await second.release();
      }
      expect((await keptRow(manager, archs[2], 'cifar10-valid')).valid_acc).toBe(80);
      await expectKeptEqualsAggregate(manager);
    },
  );
});
