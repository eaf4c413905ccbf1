import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { openStore, type Store } from '../src/store';
import { fileSha256 } from '../src/store/import/file-sha256';
import {
  contentSha256,
  formatManifest,
  importRelease,
  publishRelease,
  RECORD_COLUMNS,
  RECORD_COLUMNS_V1,
  type PublishReleaseOptions,
  type ReleaseManifest,
  type ReleaseProvenance,
} from '../src/store/release';
import { ReleaseTableWriter } from '../src/store/release/write-release-table';
import { countRows } from './support/count-rows';
import { spawnNashub } from './support/spawn-nashub';
import { FIXTURE_NB201_RUNS, importReleaseFixtures } from './support/release-fixtures';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

const DATA_FILES = ['curves.csv', 'curves.parquet', 'records.csv', 'records.parquet'];

describe(`nashub publish and import --release (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  const databases: TestDatabase[] = [];
  let source: Store;
  let target: Store;
  let dir: string;
  let release: string;
  const open = async () => {
    const database = await createTestDatabase();
    databases.push(database);
    return openStore({ config: database.config });
  };
  const publish = (store: Store, out: string, options: Partial<PublishReleaseOptions> = {}) =>
    publishRelease({
      dataSource: store.dataSource,
      name: 'fixture',
      version: '1.0.0',
      outDir: join(dir, out),
      nashubVersion: '0.0.0-test',
      ...options,
    });
  const manifestOf = (folder: string): ReleaseManifest =>
    JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
  const readParquet = async (file: string) => {
    const bytes = readFileSync(file);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return { metadata: parquetMetadata(buffer), rows: await parquetReadObjects({ file: buffer }) };
  };
  const expectCode = async (promise: Promise<unknown>, code: string) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e as { code?: string; details?: Record<string, unknown> },
    );
    expect(error?.code).toBe(code);
    return error!;
  };
  const emptyTarget = () =>
    target.dataSource.query(
      'TRUNCATE run_curve, run, architecture_external_id, architecture, import_batch, dataset, protocol, release CASCADE',
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-release-'));
    source = await open();
    target = await open();
    await importReleaseFixtures(source.dataSource, dir);
    // The fixture's TRAINED run as nashub's trainer leaves it (finishTrainingJob): its hardware and nashub version.
    await source.dataSource.query(
      `UPDATE run SET hardware = 'wasm/cpu', nashub_version = '0.0.0-trainer' WHERE source = 'TRAINED'`,
    );
    const published = await publish(source, 'v1', { now: () => new Date('2025-01-02T03:04:05Z') });
    expect(published.status).toBe('PUBLISHED');
    release = published.dir;
  });
  afterAll(async () => {
    for (const store of [source, target]) await store?.close();
    for (const database of databases) await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes sorted, typed tables and a manifest with row counts and sha256s', async () => {
    expect(readdirSync(release).sort()).toEqual([...DATA_FILES, 'manifest.json'].sort());
    const manifest = manifestOf(release);
    expect(manifest).toMatchObject({
      format: 'nashub-release/2',
      name: 'fixture',
      version: '1.0.0',
      nashubVersion: '0.0.0-test',
      createdAt: '2025-01-02T03:04:05.000Z',
    });
    expect(manifest.schemaVersion).toBe(source.schemaVersion);
    expect(manifest.filters).toEqual({ space: null, dataset: null, protocol: null });
    expect(manifest.protocols.map((p) => [p.name, p.epochs])).toEqual([
      ['hp=12', 12],
      ['hp=200', 200],
      ['nb101-108', 108],
    ]);
    expect(manifest.protocols[1].hyperparameters).toEqual({ optimizer: 'SGD', learningRate: 0.1, batchSize: 256 });
    for (const name of DATA_FILES) expect(manifest.files[name].sha256).toBe(await fileSha256(join(release, name)));
    expect(manifest.contentSha256).toBe(contentSha256(manifest.files));
    expect(readFileSync(join(release, 'manifest.json'), 'utf8')).toBe(formatManifest(manifest));

    const { metadata, rows } = await readParquet(join(release, 'records.parquet'));
    const runs = (await countRows(source.dataSource)).runs;
    expect(rows).toHaveLength(runs);
    expect(manifest.files['records.parquet'].rows).toBe(runs);
    expect(runs).toBeGreaterThan(FIXTURE_NB201_RUNS);
    const schema = Object.fromEntries(
      parquetSchema(metadata).children.map((c) => [c.element.name, [c.element.type, c.element.repetition_type]]),
    );
    expect(schema).toMatchObject({
      arch_id: ['BYTE_ARRAY', 'REQUIRED'],
      seed: ['INT32', 'OPTIONAL'],
      seed_count: ['INT32', 'OPTIONAL'],
      valid_acc: ['DOUBLE', 'OPTIONAL'],
      protocol_epochs: ['INT32', 'REQUIRED'],
    });
    const key = (r: Record<string, unknown>) => [r.space, r.arch_id, r.dataset, r.protocol].map(String);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [key(rows[i - 1]), key(rows[i])];
      const order = Buffer.compare(Buffer.from(a.join('\u0000')), Buffer.from(b.join('\u0000')));
      expect(
        order < 0 ||
          (order === 0 &&
            (rows[i - 1].seed === null ||
              (rows[i].seed !== null && (rows[i - 1].seed as number) < (rows[i].seed as number)))),
      ).toBe(true);
    }
    expect(rows.find((r) => r.source === 'TRAINED')).toMatchObject({
      nb201_index: '0',
      seed: 777,
      seed_count: null,
      dataset: 'cifar10-valid',
    });
    expect(rows.find((r) => r.seed === null && r.protocol === 'hp=200')).toMatchObject({
      seed_count: 3,
      value_kind: 'SEED_MEAN',
    });
    // Every run names its origin in the manifest; the trained one says which nashub trained it, and on what.
    const origins = new Map((manifest.provenance as ReleaseProvenance).origins.map((o) => [o.id, o]));
    for (const row of rows) {
      const origin = origins.get(row.origin as string)!;
      expect(origin.source).toBe(row.source);
      expect(row.value_kind).toBe(row.seed === null ? 'SEED_MEAN' : 'SINGLE_SEED');
    }
    expect([...origins.values()].map((o) => o.runs).reduce((a, b) => a + b)).toBe(runs);
    expect(origins.get(rows.find((r) => r.source === 'TRAINED')!.origin as string)).toMatchObject({
      source: 'TRAINED',
      protocol: 'hp=200',
      hardware: 'wasm/cpu',
      nashubVersion: '0.0.0-trainer',
      runs: rows.filter((r) => r.source === 'TRAINED').length,
    });
    expect(rows.find((r) => r.seed === 999)).toMatchObject({ valid_acc: null, train_loss: null, train_seconds: null });
    expect(rows.filter((r) => r.space === 'nb101').every((r) => r.nb201_index === null)).toBe(true);

    const csv = readFileSync(join(release, 'records.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe(
      'space,arch,arch_id,nb201_index,dataset,protocol,protocol_epochs,seed,seed_count,source,origin,value_kind,train_acc,valid_acc,test_acc,train_loss,valid_loss,test_loss,train_seconds',
    );
    expect(csv).toHaveLength(runs + 2);
    expect(csv.find((line) => line.startsWith('nb101,"{'))).toBeDefined();
    const curves = await readParquet(join(release, 'curves.parquet'));
    expect(curves.rows).toHaveLength(4 * 5 + 5 + 2);
    expect(curves.rows.find((r) => r.seed === 777 && r.epoch === 3)).toMatchObject({
      epoch_seconds: 9 + 3 / 7,
      dataset: 'cifar10-valid',
    });
  });

  it('round-trips: publish, import into an empty store, publish again gives identical data files', async () => {
    const imported = await importRelease({ dataSource: target.dataSource, dir: release, replace: false });
    expect(imported.status).toBe('IMPORTED');
    expect(imported.files.map((f) => [f.space, f.status])).toEqual([
      ['nb101', 'IMPORTED'],
      ['nb201', 'IMPORTED'],
      ['nb201', 'IMPORTED'],
    ]);
    expect(await countRows(target.dataSource)).toMatchObject({ ...(await countRows(source.dataSource)), batches: 3 });
    const again = await publish(target, 'v1-again');
    expect(again.status).toBe('PUBLISHED');
    for (const name of DATA_FILES)
      expect(await fileSha256(join(again.dir, name)), name).toBe(await fileSha256(join(release, name)));
    // The runs kept their origins through the import (the records' origin column is byte-identical above), so the
    // manifest says the same, the trained run's nashub version included.
    const { createdAt: first, ...rest } = manifestOf(release);
    const { createdAt: second, ...restAgain } = manifestOf(again.dir);
    expect(restAgain).toEqual(rest);
    expect(second).not.toBe(first);
    const kept: Array<{ n: number }> = await target.dataSource.query(
      'SELECT count(*)::int AS n FROM run WHERE origin_id IS NOT NULL',
    );
    expect(kept[0].n).toBe(manifestOf(release).files['records.parquet'].rows);

    const before = await countRows(target.dataSource);
    expect((await importRelease({ dataSource: target.dataSource, dir: release, replace: false })).status).toBe(
      'ALREADY_IMPORTED',
    );
    expect(await countRows(target.dataSource)).toEqual(before);
  });

  it('refuses a tampered or truncated release before writing anything', async () => {
    const before = await countRows(target.dataSource);
    const damaged = (name: string) => {
      const copy = join(dir, name);
      cpSync(release, copy, { recursive: true });
      return copy;
    };
    const tampered = damaged('tampered');
    const bytes = readFileSync(join(tampered, 'records.parquet'));
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(join(tampered, 'records.parquet'), bytes);
    const error = await expectCode(
      importRelease({ dataSource: target.dataSource, dir: tampered, replace: false }),
      'RELEASE_INVALID',
    );
    expect(error.details).toMatchObject({ reason: 'sha256' });

    const truncated = damaged('truncated');
    const curves = join(truncated, 'curves.parquet');
    truncateSync(curves, Math.floor(manifestOf(release).files['curves.parquet'].bytes / 2));
    expect(
      (
        await expectCode(
          importRelease({ dataSource: target.dataSource, dir: truncated, replace: false }),
          'RELEASE_INVALID',
        )
      ).details,
    ).toMatchObject({ reason: 'bytes' });
    // A manifest rewritten to match the truncated file still fails: the Parquet footer is gone.
    const manifest = manifestOf(truncated);
    manifest.files['curves.parquet'] = {
      rows: manifest.files['curves.parquet'].rows,
      bytes: readFileSync(curves).length,
      sha256: await fileSha256(curves),
    };
    manifest.contentSha256 = contentSha256(manifest.files);
    writeFileSync(join(truncated, 'manifest.json'), formatManifest(manifest));
    expect(
      (
        await expectCode(
          importRelease({ dataSource: target.dataSource, dir: truncated, replace: false }),
          'RELEASE_INVALID',
        )
      ).details,
    ).toMatchObject({ reason: 'unreadable' });

    const noManifest = damaged('no-manifest');
    rmSync(join(noManifest, 'manifest.json'));
    await expectCode(
      importRelease({ dataSource: target.dataSource, dir: noManifest, replace: false }),
      'RELEASE_INVALID',
    );
    expect(await countRows(target.dataSource)).toEqual(before);
  });

  it('publishes a name and version once: the same content again is fine, other content is a CONFLICT', async () => {
    const again = await publish(source, 'v1-copy');
    expect(again.status).toBe('ALREADY_PUBLISHED');
    expect(readFileSync(join(again.dir, 'manifest.json'), 'utf8')).toBe(
      readFileSync(join(release, 'manifest.json'), 'utf8'),
    );
    for (const name of DATA_FILES)
      expect(await fileSha256(join(again.dir, name))).toBe(manifestOf(release).files[name].sha256);

    const error = await expectCode(publish(source, 'v1-other', { filter: { dataset: 'cifar100' } }), 'CONFLICT');
    expect(error.details).toMatchObject({ name: 'fixture', version: '1.0.0' });
    expect(existsSync(join(dir, 'v1-other'))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
    const releases: Array<{ n: number }> = await source.dataSource.query('SELECT count(*)::int AS n FROM release');
    expect(releases[0].n).toBe(1);

    await expectCode(publish(source, 'v1', { version: '1.0.9' }), 'INVALID_ARGUMENT');
    await expectCode(publish(source, 'bad-version', { version: '1.0 beta' }), 'INVALID_ARGUMENT');
    await expectCode(
      publish(source, 'nothing', { version: '0.0.1', filter: { dataset: 'imagenet' } }),
      'UNKNOWN_DATASET',
    );
  });

  it('filters by space, dataset and protocol, and a filtered release imports on its own', async () => {
    const nb101 = await publish(source, 'only-nb101', { name: 'nb101', filter: { space: 'nb101' } });
    const nb101Rows = (await readParquet(join(nb101.dir, 'records.parquet'))).rows;
    expect(nb101Rows.length).toBe((await countRows(source.dataSource)).runs - FIXTURE_NB201_RUNS);
    expect(nb101Rows.every((r) => r.space === 'nb101' && r.protocol === 'nb101-108')).toBe(true);
    expect(nb101.manifest.files['curves.parquet'].rows).toBe(0);
    expect(nb101.manifest.protocols.map((p) => p.name)).toEqual(['nb101-108']);

    const cifar100 = await publish(source, 'only-cifar100', {
      name: 'c100',
      filter: { space: 'nb201', dataset: 'cifar100' },
    });
    const c100Rows = (await readParquet(join(cifar100.dir, 'records.parquet'))).rows;
    expect(c100Rows).toHaveLength(24 + 16);
    expect(c100Rows.every((r) => r.dataset === 'cifar100')).toBe(true);
    expect(cifar100.manifest.filters).toEqual({ space: 'nb201', dataset: 'cifar100', protocol: null });

    const hp12 = await publish(source, 'only-hp12', { name: 'hp12', filter: { protocol: 'hp=12' } });
    expect(hp12.manifest.files['records.parquet'].rows).toBe(16);
    expect(hp12.manifest.files['curves.csv'].rows).toBe(0);
    expect(readFileSync(join(hp12.dir, 'curves.csv'), 'utf8').split('\n')[0]).toMatch(
      /^space,arch,arch_id,dataset,protocol,seed,epoch,/,
    );

    await emptyTarget();
    expect((await importRelease({ dataSource: target.dataSource, dir: nb101.dir, replace: false })).status).toBe(
      'IMPORTED',
    );
    expect(await countRows(target.dataSource)).toMatchObject({ runs: nb101Rows.length, epochs: 0, externalIds: 0 });
    const republished = await publish(target, 'nb101-again', { name: 'nb101', filter: { space: 'nb101' } });
    for (const name of DATA_FILES)
      expect(await fileSha256(join(republished.dir, name))).toBe(nb101.manifest.files[name].sha256);
  });

  it.runIf(onPostgres)('gives the same bytes from PGlite as from PostgreSQL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nashub-release-pglite-'));
    const pglite = await openStore({ config: { kind: 'pglite', dataDir } });
    try {
      await importRelease({ dataSource: pglite.dataSource, dir: release, replace: false });
      const copy = await publish(pglite, 'from-pglite');
      for (const name of DATA_FILES)
        expect(await fileSha256(join(copy.dir, name)), name).toBe(manifestOf(release).files[name].sha256);
    } finally {
      await pglite.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('runs as nashub import --release and nashub publish --version (exit codes, JSON on stdout)', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const cli = async (args: string[]) => {
      const proc = spawnNashub(args, database.env);
      return { code: await proc.exited, stdout: proc.stdout(), stderr: proc.stderr() };
    };
    const imported = await cli(['import', '--release', release]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ status: 'IMPORTED', name: 'fixture', version: '1.0.0' });
    const out = join(dir, 'from-cli');
    const published = await cli(['publish', '--name', 'fixture', '--version', '1.0.0', '--out', out]);
    expect(published.code, published.stderr).toBe(0);
    expect(JSON.parse(published.stdout)).toMatchObject({
      status: 'PUBLISHED',
      contentSha256: manifestOf(release).contentSha256,
    });
    const mixed = await cli(['import', '--release', release, '--space', 'nb201']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/INVALID_ARGUMENT/);
  });

  it('imports a release of format 1 (no origin or value_kind columns): its runs come from its records file', async () => {
    const old = join(dir, 'format-1');
    cpSync(release, old, { recursive: true });
    const { rows } = await readParquet(join(release, 'records.parquet'));
    rmSync(join(old, 'records.parquet'));
    rmSync(join(old, 'records.csv'));
    const writer = new ReleaseTableWriter(old, 'records', RECORD_COLUMNS_V1);
    writer.append(rows.map(({ origin: _o, value_kind: _v, ...row }) => row as Record<string, string | number | null>));
    writer.finish();
    const manifest = manifestOf(release);
    for (const name of ['records.parquet', 'records.csv']) {
      const path = join(old, name);
      manifest.files[name] = {
        ...manifest.files[name],
        bytes: readFileSync(path).length,
        sha256: await fileSha256(path),
      };
    }
    manifest.format = 'nashub-release/1';
    manifest.contentSha256 = contentSha256(manifest.files);
    // Format 1's provenance had no ids (nor nashubVersion): kept as written, not checked.
    manifest.provenance = { origins: [{ source: 'IMPORTED', runs: rows.length }], values: {} };
    writeFileSync(join(old, 'manifest.json'), formatManifest(manifest));

    await emptyTarget();
    expect((await importRelease({ dataSource: target.dataSource, dir: old, replace: false })).status).toBe('IMPORTED');
    expect((await countRows(target.dataSource)).runs).toBe(rows.length);
    const again = await publish(target, 'from-format-1', { version: '1.0.1' });
    // The same runs and values; their origin is now the old release's records.parquet, as the import kept it.
    const republished = (await readParquet(join(again.dir, 'records.parquet'))).rows;
    expect(republished.map(({ origin: _o, ...row }) => row)).toEqual(rows.map(({ origin: _o, ...row }) => row));
    const origins = (again.manifest.provenance as ReleaseProvenance).origins;
    expect(origins.every((o) => o.import?.file === 'records.parquet')).toBe(true);
    expect(origins.every((o) => o.import?.sha256 === manifest.files['records.parquet'].sha256)).toBe(true);
  });

  it('refuses a manifest whose origin does not match its id, before writing anything', async () => {
    const forged = join(dir, 'forged-origin');
    cpSync(release, forged, { recursive: true });
    const manifest = manifestOf(release);
    const origins = (manifest.provenance as ReleaseProvenance).origins;
    origins.find((o) => o.source === 'TRAINED')!.hardware = 'gpu/elsewhere';
    writeFileSync(join(forged, 'manifest.json'), formatManifest(manifest));
    const before = await countRows(target.dataSource);
    const error = await expectCode(
      importRelease({ dataSource: target.dataSource, dir: forged, replace: false }),
      'RELEASE_INVALID',
    );
    expect(JSON.stringify(error.details)).toMatch(/provenance/);
    expect(await countRows(target.dataSource)).toEqual(before);
  });

  it('refuses records that name an origin the manifest lacks, or say they are imputed, before writing anything', async () => {
    const { rows } = await readParquet(join(release, 'records.parquet'));
    /** A copy of the release whose first records row is changed, with the manifest's sizes and hashes to match. */
    const withFirstRow = async (name: string, change: Record<string, string>) => {
      const copy = join(dir, name);
      cpSync(release, copy, { recursive: true });
      for (const file of ['records.parquet', 'records.csv']) rmSync(join(copy, file));
      const writer = new ReleaseTableWriter(copy, 'records', RECORD_COLUMNS);
      writer.append(
        rows.map((row, i) => ({ ...row, ...(i === 0 ? change : {}) }) as Record<string, string | number | null>),
      );
      writer.finish();
      const manifest = manifestOf(release);
      for (const file of ['records.parquet', 'records.csv']) {
        const path = join(copy, file);
        manifest.files[file] = {
          ...manifest.files[file],
          bytes: readFileSync(path).length,
          sha256: await fileSha256(path),
        };
      }
      manifest.contentSha256 = contentSha256(manifest.files);
      writeFileSync(join(copy, 'manifest.json'), formatManifest(manifest));
      return copy;
    };
    const before = await countRows(target.dataSource);
    const unknown = await withFirstRow('unknown-origin', { origin: '0123456789abcdef' });
    expect(
      (
        await expectCode(
          importRelease({ dataSource: target.dataSource, dir: unknown, replace: false }),
          'RELEASE_INVALID',
        )
      ).details,
    ).toMatchObject({ reason: 'origin' });
    const imputed = await withFirstRow('imputed', { value_kind: 'IMPUTED' });
    expect(
      (
        await expectCode(
          importRelease({ dataSource: target.dataSource, dir: imputed, replace: false }),
          'RELEASE_INVALID',
        )
      ).details,
    ).toMatchObject({ reason: 'value_kind' });
    const wrongKind = await withFirstRow('wrong-kind', {
      value_kind: rows[0].seed === null ? 'SINGLE_SEED' : 'SEED_MEAN',
    });
    expect(
      (
        await expectCode(
          importRelease({ dataSource: target.dataSource, dir: wrongKind, replace: false }),
          'RELEASE_INVALID',
        )
      ).details,
    ).toMatchObject({ reason: 'value_kind' });
    expect(await countRows(target.dataSource)).toEqual(before);
  });

  it('refuses an output folder that is not empty', async () => {
    const out = join(dir, 'busy');
    cpSync(release, out, { recursive: true });
    await expectCode(publish(source, 'busy', { version: '2.0.0' }), 'INVALID_ARGUMENT');
  });
});
