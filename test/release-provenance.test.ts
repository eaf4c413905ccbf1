import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store';
import { fileSha256 } from '../src/store/import/file-sha256';
import { importFile, resolveMapping } from '../src/store/import';
import { JobQueue } from '../src/store/queue';
import { importRelease, publishRelease, type ReleaseManifest, type ReleaseProvenance } from '../src/store/release';
import { finishTrainingJob, recordTrainingEpoch, startTrainingJob } from '../src/store/training';
import { nb201Archs } from './support/nb201-fixtures';
import { importReleaseFixtures } from './support/release-fixtures';
import { fakeEpochMetrics, requestOneTraining } from './support/request-one-training';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

describe(`release provenance and change summary (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let dir: string;
  let database: TestDatabase;
  let store: Store;
  let v1: ReleaseManifest;
  const runs = async (dataset?: string) =>
    (
      await store.dataSource.query(
        `SELECT count(*)::int AS n FROM run r JOIN dataset d ON d.id = r.dataset_id
          WHERE r.status = 'COMPLETE' AND ($1::text IS NULL OR d.name = $1)`,
        [dataset ?? null],
      )
    )[0].n as number;
  const publish = (version: string, dataset: string | null) =>
    publishRelease({
      dataSource: store.dataSource,
      name: 'p',
      version,
      outDir: join(dir, 'releases', 'p', version),
      nashubVersion: '0.0.0-test',
      filter: { dataset },
      predecessorDir: (v) => join(dir, 'releases', 'p', v),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-provenance-'));
    database = await createTestDatabase();
    store = await openStore({ config: database.config });
    await importReleaseFixtures(store.dataSource, dir);
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says where each run came from: the imported file with its sha256 and mapping, and the kind of value', async () => {
    const { manifest } = await publish('1', 'cifar100');
    v1 = manifest;
    const provenance = manifest.provenance as ReleaseProvenance;
    expect(manifest.predecessor).toBeNull();
    expect(manifest.changes).toBeNull();
    const total = manifest.files['records.parquet'].rows;
    expect(provenance.origins.reduce((sum, o) => sum + o.runs, 0)).toBe(total);
    expect(provenance.values.seedMean + provenance.values.singleSeed).toBe(total);
    expect(provenance.values).toMatchObject({ seedMean: 16, singleSeed: 24, imputed: 0 });
    const seeds = provenance.origins.find((o) => o.import?.file.endsWith('seeds.csv'))!;
    expect(seeds).toMatchObject({ source: 'IMPORTED', runs: 23, seedMeans: 0, singleSeeds: 23, hardware: null });
    // The fixture's one TRAINED run came in through the same file: its own origin, with its protocol.
    const trained = provenance.origins.find((o) => o.source === 'TRAINED')!;
    expect(trained).toMatchObject({ protocol: 'hp=200', runs: 1, singleSeeds: 1 });
    expect(trained.import!.sha256).toBe(seeds.import!.sha256);
    expect(seeds.import!.sha256).toBe(await fileSha256(join(dir, 'seeds.csv')));
    expect(seeds.import!.mapping).toMatchObject({ arch: 'arch_str', seed: { column: 'seed' } });
    const means = provenance.origins.find((o) => o.import?.file.endsWith('means.csv'))!;
    expect(means).toMatchObject({ runs: 16, seedMeans: 16, singleSeeds: 0 });
  });

  it('names its predecessor and counts the runs added, changed and removed since', async () => {
    // One stored value changes: cifar100, arch 0, seed 777.
    const file = join(dir, 'change.csv');
    writeFileSync(file, `arch,seed,valid_acc\n${nb201Archs(1)[0]},777,12.5\n`);
    await importFile({
      dataSource: store.dataSource,
      space: 'nb201',
      file,
      replace: true,
      mapping: resolveMapping({
        arch: 'arch',
        seed: 'seed',
        dataset: { value: 'cifar100' },
        protocol: { value: 'hp=200' },
        accuracyScale: 'percent',
        metrics: { validAcc: 'valid_acc' },
      }),
    });
    const v2 = (await publish('2', null)).manifest;
    expect(v2.predecessor).toEqual({ version: '1', contentSha256: v1.contentSha256 });
    expect(v2.changes).toEqual({ added: (await runs()) - (await runs('cifar100')), changed: 1, removed: 0 });
    const v3 = (await publish('3', 'cifar10-valid')).manifest;
    expect(v3.predecessor).toEqual({ version: '2', contentSha256: v2.contentSha256 });
    expect(v3.changes).toEqual({ added: 0, changed: 0, removed: (await runs()) - (await runs('cifar10-valid')) });
  });

  it('names the trainer of a trained run (protocol, hardware, nashub version), and another store keeps it', async () => {
    // A run written by the trainer's store path: requested, started, two epochs recorded, finished.
    const queue = await JobQueue.open(store);
    let target: Store | undefined;
    let targetDatabase: TestDatabase | undefined;
    try {
      const manager = store.dataSource.manager;
      const [{ id: protocolId }] = await manager.query(
        `INSERT INTO protocol (name, epochs, hyperparameters, description) VALUES ('tiny-e2', 2, '{}', 'two epochs') RETURNING id`,
      );
      const [{ id: datasetId }] = await manager.query(`SELECT id FROM dataset WHERE name = 'fashion-mnist'`);
      const entry = await requestOneTraining(store.dataSource, queue, {
        arch: nb201Archs(3)[2],
        datasetId,
        protocolId,
        epochs: 2,
      });
      const jobId = entry.job!.id;
      const worker = 'provenance-test';
      await startTrainingJob(store.dataSource, queue, { jobId, worker, backend: 'fake', device: 'none' });
      for (const epoch of [1, 2]) {
        const metrics = fakeEpochMetrics(epoch);
        await recordTrainingEpoch(store.dataSource, queue, {
          jobId,
          worker,
          metrics,
          checkpoint: new Uint8Array([epoch]),
          leaseSeconds: 60,
        });
      }
      expect(
        await finishTrainingJob(store.dataSource, queue, {
          jobId,
          worker,
          status: 'COMPLETED',
          hardware: 'fake/none',
          nashubVersion: '9.9.9-trainer',
        }),
      ).toBe(true);

      const trained = await publishRelease({
        dataSource: store.dataSource,
        name: 'trained',
        version: '1',
        outDir: join(dir, 'trained'),
        nashubVersion: '0.0.0-test',
        filter: { dataset: 'fashion-mnist' },
      });
      const provenance = trained.manifest.provenance as ReleaseProvenance;
      expect(provenance.origins).toEqual([
        expect.objectContaining({
          source: 'TRAINED',
          import: null,
          protocol: 'tiny-e2',
          hardware: 'fake/none',
          nashubVersion: '9.9.9-trainer',
          runs: 1,
          singleSeeds: 1,
        }),
      ]);

      // Another store imports the release and publishes it again: the same bytes, the same origin.
      targetDatabase = await createTestDatabase();
      target = await openStore({ config: targetDatabase.config });
      await importRelease({ dataSource: target.dataSource, dir: trained.dir, replace: false });
      const again = await publishRelease({
        dataSource: target.dataSource,
        name: 'trained',
        version: '1',
        outDir: join(dir, 'trained-again'),
        nashubVersion: '0.0.0-test',
        filter: { dataset: 'fashion-mnist' },
      });
      expect(again.manifest.contentSha256).toBe(trained.manifest.contentSha256);
      expect(again.manifest.provenance).toEqual(trained.manifest.provenance);
    } finally {
      await queue.stop();
      await target?.close();
      await targetDatabase?.drop();
    }
  });
});
