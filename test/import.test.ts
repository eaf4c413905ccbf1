import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { openStore, type Store } from '../src/store';
import { importFile, resolveMapping, type ImportMapping } from '../src/store/import';
import { countRows } from './support/count-rows';
import { fakeAcc, nb201Archs, runsMapping, writeRunsCsv } from './support/nb201-fixtures';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

describe(`nashub import (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase;
  let store: Store;
  let dir: string;
  const mapping = resolveMapping(runsMapping);
  const run = (file: string, m: ImportMapping = mapping, replace = false) =>
    importFile({ dataSource: store.dataSource, space: 'nb201', file, mapping: m, replace });
  const expectCode = async (promise: Promise<unknown>, code: string) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e as { code?: string; details?: Record<string, unknown> },
    );
    expect(error?.code).toBe(code);
    return error!;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openStore({ config: database.config });
    dir = mkdtempSync(join(tmpdir(), 'nashub-import-'));
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await store.dataSource.query(
      'TRUNCATE run_curve, run, architecture_external_id, architecture, import_batch, dataset, protocol CASCADE',
    );
  });

  it('imports a long CSV, and importing it again adds nothing and says so', async () => {
    const file = writeRunsCsv(dir, 'runs.csv', 300);
    const first = await run(file);
    expect(first).toMatchObject({ status: 'IMPORTED', rowsRead: 300, runsAdded: 300, architecturesAdded: 300 });
    const before = await countRows(store.dataSource);
    expect(before).toMatchObject({ runs: 300, architectures: 300, externalIds: 300, batches: 1 });
    expect(await run(file)).toMatchObject({ status: 'ALREADY_IMPORTED', batchId: first.batchId });
    const copy = join(dir, 'runs-copy.csv');
    writeFileSync(copy, `${readFileSync(file, 'utf8')}\n`);
    expect(await run(copy)).toMatchObject({ status: 'NOTHING_NEW', runsAdded: 0 });
    expect(await countRows(store.dataSource)).toEqual(before);
    const rows: Array<{ valid_acc: number; seed: number }> = await store.dataSource.query(
      `SELECT r.valid_acc, r.seed FROM run r JOIN architecture_external_id e ON e.architecture_id = r.architecture_id
        WHERE e.scheme = 'nb201-index' AND e.external_id = '7'`,
    );
    expect(rows).toEqual([{ valid_acc: fakeAcc(7, 1), seed: 1 }]);
  });

  it('rejects an unknown column in the mapping before writing anything', async () => {
    const file = writeRunsCsv(dir, 'cols.csv', 10);
    const error = await expectCode(
      run(file, resolveMapping({ ...runsMapping, metrics: { validAcc: 'val_acc' } })),
      'MAPPING_INVALID',
    );
    expect(error.details).toMatchObject({ field: 'metrics.validAcc', column: 'val_acc' });
    expect((await countRows(store.dataSource)).runs).toBe(0);
  });

  it('rejects a malformed architecture in row 50,000 with its line number and writes nothing', async () => {
    const file = writeRunsCsv(dir, 'bad-arch.csv', 50_000, (fields, i) => {
      if (i === 49_999) fields[1] = '|nor_conv_3x3~0|+|bogus~0|none~1|+|none~0|none~1|none~2|';
    });
    const error = await expectCode(run(file), 'IMPORT_REJECTED');
    expect(error.details).toMatchObject({ badRows: 1, rows: [{ line: 50_001 }] });
    expect((error.details!.rows as Array<{ reason: string }>)[0].reason).toMatch(/invalid architecture/);
    expect(await countRows(store.dataSource)).toMatchObject({
      runs: 0,
      architectures: 0,
      batches: 0,
      protocols: 0,
      datasets: 0,
    });
  });

  it('reports at most 20 bad rows, sorted by line, with the total', async () => {
    const file = writeRunsCsv(dir, 'many-bad.csv', 100, (fields, i) => {
      if (i % 3 === 0) fields[4] = 'n/a';
    });
    const error = await expectCode(run(file), 'IMPORT_REJECTED');
    const rows = error.details!.rows as Array<{ line: number }>;
    expect(error.details!.badRows).toBe(34);
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r.line)).toEqual([...rows.map((r) => r.line)].sort((a, b) => a - b));
    expect(rows[0].line).toBe(2);
  });

  it('rejects accuracies outside the declared scale, naming it', async () => {
    const over = writeRunsCsv(dir, 'over.csv', 5, (fields, i) => {
      if (i === 2) fields[4] = '100.5';
    });
    const error = await expectCode(run(over), 'IMPORT_REJECTED');
    expect((error.details!.rows as Array<{ line: number; reason: string }>)[0]).toMatchObject({ line: 4 });
    expect((error.details!.rows as Array<{ reason: string }>)[0].reason).toMatch(/percent \(0-100\)/);
    const fractions = writeRunsCsv(dir, 'fraction.csv', 5);
    const asFraction = resolveMapping({ ...runsMapping, accuracyScale: 'fraction' });
    const error2 = await expectCode(run(fractions, asFraction), 'IMPORT_REJECTED');
    expect((error2.details!.rows as Array<{ reason: string }>)[0].reason).toMatch(/fraction \(0-1\)/);
    expect((await countRows(store.dataSource)).runs).toBe(0);
  });

  it('rejects a duplicate run with different values inside one file', async () => {
    const file = writeRunsCsv(dir, 'dup.csv', 20, (fields, i) => {
      if (i === 15) {
        fields[0] = '3';
        fields[1] = nb201Archs(4)[3];
        fields[4] = '12.5';
      }
      if (i === 16) fields[0] = '5';
    });
    const error = await expectCode(run(file), 'IMPORT_REJECTED');
    expect(error.details).toMatchObject({ badRows: 2 });
    const reasons = (error.details!.rows as Array<{ reason: string }>).map((r) => r.reason).join(' | ');
    expect(reasons).toMatch(/validAcc/);
    expect(reasons).toMatch(/external id nb201-index:5 names two architectures/);
    expect((await countRows(store.dataSource)).runs).toBe(0);
  });

  it('refuses a corrected value for a stored run unless --replace is given', async () => {
    await run(writeRunsCsv(dir, 'orig.csv', 10));
    const fixed = writeRunsCsv(dir, 'fixed.csv', 10, (fields, i) => {
      if (i === 4) fields[4] = '42.125';
    });
    const error = await expectCode(run(fixed), 'CONFLICT');
    expect(error.details).toMatchObject({ conflicts: 1, rows: [{ line: 6 }] });
    const replaced = await run(fixed, mapping, true);
    expect(replaced).toMatchObject({ status: 'IMPORTED', runsUpdated: 1, runsAdded: 0 });
    const rows: Array<{ valid_acc: number }> = await store.dataSource.query(
      `SELECT r.valid_acc FROM run r JOIN architecture_external_id e ON e.architecture_id = r.architecture_id WHERE e.external_id = '4'`,
    );
    expect(rows[0].valid_acc).toBe(42.125);
  });

  it('reads a UTF-8 BOM and quoted commas', async () => {
    const archs = nb201Archs(2);
    const file = join(dir, 'bom.csv');
    writeFileSync(
      file,
      `\uFEFFarch_index,arch_str,dataset,seed,valid_acc,note\n0,${archs[0]},cifar10-valid,1,51.5,"a, b"\n1,"${archs[1]}",cifar10-valid,1,"52.25","x"\n`,
    );
    expect(await run(file)).toMatchObject({ status: 'IMPORTED', runsAdded: 2 });
  });

  it('refuses a 0-byte file and a truncated Parquet file', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    await expectCode(run(empty), 'FILE_INVALID');
    const archs = nb201Archs(50);
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'arch_index', data: archs.map((_, i) => i), type: 'INT32' },
        { name: 'arch_str', data: archs, type: 'STRING' },
        { name: 'dataset', data: archs.map(() => 'cifar10-valid'), type: 'STRING' },
        { name: 'seed', data: archs.map(() => 1), type: 'INT32' },
        { name: 'valid_acc', data: archs.map((_, i) => fakeAcc(i, 1)), type: 'DOUBLE' },
      ],
    });
    const whole = join(dir, 'runs.parquet');
    writeFileSync(whole, Buffer.from(buffer));
    const truncated = join(dir, 'truncated.parquet');
    writeFileSync(truncated, Buffer.from(buffer).subarray(0, Math.floor(buffer.byteLength / 2)));
    await expectCode(run(truncated), 'FILE_INVALID');
    expect((await countRows(store.dataSource)).runs).toBe(0);
    expect(await run(whole)).toMatchObject({ status: 'IMPORTED', runsAdded: 50 });
  });

  it('imports a wide table of seed means and a JSON-lines curve layout', async () => {
    const archs = nb201Archs(4);
    const wide = join(dir, 'wide.csv');
    const header = 'idx,arch,n,c10_valid,c100_valid,c100_test,c10_valid_12ep';
    writeFileSync(
      wide,
      [header, ...archs.map((a, i) => `${i},${a},3,${80 + i},${60 + i},${61 + i},${70 + i}`)].join('\n'),
    );
    const wideMapping = resolveMapping({
      arch: 'arch',
      externalId: { column: 'idx', scheme: 'nb201-index' },
      seedMean: true,
      seedCount: 'n',
      accuracyScale: 'percent',
      protocols: { 'hp=200': { epochs: 200 }, 'hp=12': { epochs: 12 } },
      wide: [
        {
          pattern: '(?<dataset>c10|c100)_(?<metric>valid|test)(?<protocol>_12ep)?',
          values: {
            dataset: { c10: 'cifar10-valid', c100: 'cifar100' },
            metric: { valid: 'validAcc', test: 'testAcc' },
            protocol: { '': 'hp=200', _12ep: 'hp=12' },
          },
        },
      ],
    });
    expect(await run(wide, wideMapping)).toMatchObject({ status: 'IMPORTED', runsAdded: 12 });
    const c100: Array<{ valid_acc: number; test_acc: number; seed: number | null; seed_count: number }> =
      await store.dataSource.query(
        `SELECT r.valid_acc, r.test_acc, r.seed, r.seed_count FROM run r JOIN dataset d ON d.id = r.dataset_id
         JOIN protocol p ON p.id = r.protocol_id JOIN architecture_external_id e ON e.architecture_id = r.architecture_id
        WHERE d.name = 'cifar100' AND p.name = 'hp=200' AND e.external_id = '2'`,
      );
    expect(c100).toEqual([{ valid_acc: 62, test_acc: 63, seed: null, seed_count: 3 }]);

    const curves = join(dir, 'curves.jsonl');
    writeFileSync(
      curves,
      archs
        .slice(0, 2)
        .map((a, i) => JSON.stringify({ arch_index: i, arch_str: a, valid_acc: [10 + i, 20 + i, 30 + i] }))
        .join('\n'),
    );
    const curveMapping = resolveMapping({
      arch: 'arch_str',
      dataset: { value: 'cifar10-valid' },
      protocol: { value: 'hp=200' },
      seedMean: true,
      accuracyScale: 'percent',
      curves: { validAcc: 'valid_acc' },
    });
    expect(await run(curves, curveMapping)).toMatchObject({ status: 'IMPORTED', runsAdded: 0, epochsAdded: 6 });
    const points: Array<{ epoch: number; valid_acc: number }> = await store.dataSource.query(
      `SELECT e.epoch, e.valid_acc FROM run_epoch e JOIN run r ON r.id = e.run_id JOIN architecture_external_id x ON x.architecture_id = r.architecture_id
        WHERE x.external_id = '1' ORDER BY e.epoch`,
    );
    expect(points).toEqual([
      { epoch: 1, valid_acc: 11 },
      { epoch: 2, valid_acc: 21 },
      { epoch: 3, valid_acc: 31 },
    ]);
  });

  it('merges curves epoch by epoch into arrays, keeps gaps, and refuses a changed epoch', async () => {
    const [a] = nb201Archs(1);
    const mapping = (extra: Record<string, unknown>) =>
      resolveMapping({
        arch: 'arch',
        dataset: { value: 'cifar10-valid' },
        protocol: { value: 'p9' },
        seed: { value: 1 },
        accuracyScale: 'percent',
        protocols: { p9: { epochs: 9 } },
        ...extra,
      });
    const first = join(dir, 'curve-a.jsonl');
    writeFileSync(first, JSON.stringify({ arch: a, valid: [10, 20, 30] }));
    expect(await run(first, mapping({ curves: { validAcc: 'valid' } }))).toMatchObject({ epochsAdded: 3 });
    const later = join(dir, 'curve-b.csv');
    writeFileSync(later, `arch,epoch,valid,loss\n${a},5,50,0.5\n${a},2,20,0.25\n`);
    expect(
      await run(later, mapping({ epoch: 'epoch', metrics: { validAcc: 'valid', validLoss: 'loss' } })),
    ).toMatchObject({ epochsAdded: 1, epochsUpdated: 1 });
    const stored: Array<{ valid_acc: Array<number | null>; valid_loss: Array<number | null> }> =
      await store.dataSource.query('SELECT valid_acc, valid_loss FROM run_curve');
    expect(stored).toEqual([{ valid_acc: [10, 20, 30, null, 50], valid_loss: [null, 0.25, null, null, 0.5] }]);
    expect((await countRows(store.dataSource)).epochs).toBe(4);
    const changed = join(dir, 'curve-c.csv');
    writeFileSync(changed, `arch,epoch,valid\n${a},3,33\n`);
    const error = await expectCode(
      run(changed, mapping({ epoch: 'epoch', metrics: { validAcc: 'valid' } })),
      'CONFLICT',
    );
    expect(error.details).toMatchObject({ conflicts: 1, rows: [{ line: 2 }] });
  });
});
