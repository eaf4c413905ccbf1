import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/migrations';
import { RecordScope1764633600000 } from '../src/migrations/1764633600000-record-scope';
import { createDataSource, openStore } from '../src/store';
import { fitStoredPredictor } from '../src/predictors';
import { defaultProtocol, loadCatalog } from '../src/store/catalog/catalog';
import { createApiKey } from '../src/store/api-key/create-api-key';
import { API_FIXTURE, importApiFixtures } from './support/api-fixtures';
import { graphqlRequest } from './support/graphql-request';
import { nb201Archs } from './support/nb201-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { createTestDatabase, onPostgres } from './support/test-database';

const ARCH = nb201Archs(1)[0];

/** Every read that uses a default protocol, in one request: each must still find the cifar10-valid hp=200 records. */
const READS = `{
  architecture(space: "nb201", arch: "${ARCH}") {
    record(dataset: "cifar10-valid") { validAcc protocol }
    c100: record(dataset: "cifar100") { validAcc protocol }
    estimate(dataset: "cifar10-valid", metric: VALID_ACC) { source protocol value }
  }
  architectures(space: "nb201", archs: ["${ARCH}"]) { record(dataset: "cifar10-valid") { validAcc } }
  top(space: "nb201", dataset: "cifar10-valid", metric: VALID_ACC, k: 3) { rank estimate { protocol value } }
}`;

interface Reads {
  architecture: {
    record: { validAcc: number; protocol: string } | null;
    c100: { validAcc: number; protocol: string } | null;
    estimate: { source: string; protocol: string; value: number | null };
  };
  architectures: Array<{ record: { validAcc: number } | null }>;
  top: Array<{ rank: number; estimate: { protocol: string; value: number } }>;
}

describe(`default protocol of a dataset (issue 16 defect 2, ${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  let publisher: string;
  let trainer: string;
  beforeAll(async () => {
    t = await startTestServer();
    await importApiFixtures(t.store.dataSource);
    publisher = (await createApiKey(t.store.dataSource.manager, { name: 'publisher', role: 'publisher' })).key;
    trainer = (await createApiKey(t.store.dataSource.manager, { name: 'trainer', role: 'trainer' })).key;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const expectRecordsFound = (data: Reads) => {
    expect(data.architecture.record).toMatchObject({ protocol: 'hp=200' });
    expect(data.architecture.record!.validAcc).toEqual(expect.any(Number));
    expect(data.architecture.c100).toMatchObject({ protocol: 'hp=200' });
    expect(data.architecture.estimate).toMatchObject({ source: 'MEASURED', protocol: 'hp=200' });
    expect(data.architectures[0].record?.validAcc).toEqual(expect.any(Number));
    expect(data.top).toHaveLength(3);
    expect(data.top.every((e) => e.estimate.protocol === 'hp=200')).toBe(true);
  };

  it('is the full-budget protocol among those with records, so a new longer protocol without records changes no read or fit', async () => {
    const before = await graphqlRequest<Reads>(t.url, READS);
    expect(before.errors).toBeUndefined();
    expectRecordsFound(before.data!);

    const created = await graphqlRequest(
      t.url,
      'mutation { createProtocol(name: "imagenet-e300", epochs: 300) { name epochs } }',
      undefined,
      { authorization: `Bearer ${publisher}` },
    );
    expect(created.errors).toBeUndefined();

    const after = await graphqlRequest<Reads>(t.url, READS);
    expect(after.errors).toBeUndefined();
    expectRecordsFound(after.data!);
    expect(after.data).toEqual(before.data);

    const fit = await graphqlRequest<{ fitPredictor: { id: string; protocol: string } }>(
      t.url,
      'mutation { fitPredictor(space: "nb201", dataset: "cifar10-valid", metric: VALID_ACC, kind: LINEAR) { id protocol } }',
      undefined,
      { authorization: `Bearer ${trainer}` },
    );
    expect(fit.errors).toBeUndefined();
    expect(fit.data!.fitPredictor.protocol).toBe('hp=200');
    const fitted = await fitStoredPredictor({
      dataSource: t.store.dataSource,
      predictorId: Number(fit.data!.fitPredictor.id),
    });
    expect(fitted.predictor.status).toBe('READY');
    expect(fitted.predictor.trainSize! + fitted.predictor.metrics!.heldOut).toBe(API_FIXTURE.cells);
  }, 120_000);

  it('follows records: a run under the longer protocol makes it the default once COMPLETE, whatever wrote it', async () => {
    const manager = t.store.dataSource.manager;
    const chosen = async (dataset: string) => {
      const catalog = await loadCatalog(manager);
      return defaultProtocol(catalog, { space: 'nb201', datasetId: catalog.datasetByName.get(dataset)!.id })?.name;
    };
    // A training run starts RUNNING (not a record) and turns COMPLETE by an UPDATE: the run triggers see both statements.
    const [{ id }]: Array<{ id: number }> = await manager.query(
      `INSERT INTO run (architecture_id, dataset_id, protocol_id, seed, source, status)
         SELECT a.id, d.id, p.id, 7, 'TRAINED', 'RUNNING' FROM architecture a, dataset d, protocol p
          WHERE a.space = 'nb201' AND a.arch = $1 AND d.name = 'cifar10-valid' AND p.name = 'imagenet-e300' RETURNING id`,
      [ARCH],
    );
    expect(await chosen('cifar10-valid')).toBe('hp=200');
    await manager.query(`UPDATE run SET status = 'COMPLETE', valid_acc = 55.5 WHERE id = $1`, [id]);
    expect(await chosen('cifar10-valid')).toBe('imagenet-e300');
    expect(await chosen('cifar100')).toBe('hp=200');
  });

  it('is backfilled by the migration from the runs stored before it (COMPLETE runs only)', async () => {
    const database = await createTestDatabase();
    try {
      const pglite = database.config.kind === 'pglite' ? await PGlite.create(database.config.dataDir) : undefined;
      const before = createDataSource({
        url: database.config.kind === 'postgres' ? database.config.url : undefined,
        pglite,
      });
      before.setOptions({ migrations: migrations.slice(0, migrations.indexOf(RecordScope1764633600000)) });
      await before.initialize();
      await before.runMigrations({ transaction: 'all' });
      await before.query(`
        INSERT INTO search_space (name, title) VALUES ('nb201', 'NAS-Bench-201') ON CONFLICT DO NOTHING;
        INSERT INTO dataset (name, description) VALUES ('d1', '');
        INSERT INTO protocol (name, epochs, hyperparameters, description) VALUES ('short', 12, '{}', ''), ('long', 300, '{}', '');
        INSERT INTO architecture (space, hash, arch, iso_class) VALUES ('nb201', 'h1', 'a1', 'c1');
        INSERT INTO run (architecture_id, dataset_id, protocol_id, seed, source, status)
          SELECT a.id, d.id, p.id, 0, 'IMPORTED', CASE p.name WHEN 'short' THEN 'COMPLETE' ELSE 'RUNNING' END
            FROM architecture a, dataset d, protocol p WHERE d.name = 'd1' AND p.name IN ('short', 'long');
      `);
      await before.destroy();
      await pglite?.close();

      const store = await openStore({ config: database.config });
      try {
        const scope: Array<{ space: string; dataset: string; protocol: string }> = await store.dataSource.query(
          `SELECT s.space, d.name AS dataset, p.name AS protocol FROM record_scope s JOIN dataset d ON d.id = s.dataset_id JOIN protocol p ON p.id = s.protocol_id`,
        );
        expect(scope).toEqual([{ space: 'nb201', dataset: 'd1', protocol: 'short' }]);
        const catalog = await loadCatalog(store.dataSource.manager);
        expect(defaultProtocol(catalog, { space: 'nb201', datasetId: catalog.datasetByName.get('d1')!.id })?.name).toBe(
          'short',
        );
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });
});
