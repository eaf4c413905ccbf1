import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { parquetReadObjects } from 'hyparquet';
import { CURVE_COLUMNS, type ReleaseRow } from './release-columns';
import { CsvTableWriter } from './write-csv';
import { ParquetTableWriter } from './write-parquet';

const dir = mkdtempSync(join(tmpdir(), 'nashub-write-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows: ReleaseRow[] = Array.from({ length: 1_000 }, (_, i) => ({
  space: 'nb101',
  arch: `{"matrix":[[0,1],[0,0]],"ops":["input","output"],"i":${i % 7}}`,
  arch_id: `id-${i % 7}`,
  dataset: 'cifar10',
  protocol: i % 2 ? 'hp=200' : 'a "quoted", protocol\nname',
  seed: i % 3 ? null : i,
  epoch: 1 + (i % 200),
  train_acc: i / 3,
  valid_acc: i % 5 ? 0.1 + 0.2 : null,
  test_acc: 1e-7 * i,
  train_loss: null,
  valid_loss: -0.5,
  test_loss: 123456789.125,
  epoch_seconds: i % 4 ? 2 ** 0.5 : null,
}));

const writeParquet = (name: string, chunks: number): Buffer => {
  const writer = new ParquetTableWriter(join(dir, name), CURVE_COLUMNS);
  const size = Math.ceil(rows.length / chunks);
  for (let i = 0; i < rows.length; i += size) writer.append(rows.slice(i, i + size));
  writer.finish();
  return readFileSync(join(dir, name));
};

describe('release table writers', () => {
  it('write the same Parquet bytes however the rows arrive, and read back every value', async () => {
    const whole = writeParquet('whole.parquet', 1);
    expect(writeParquet('chunked.parquet', 7).equals(whole)).toBe(true);
    const buffer = new Uint8Array(whole).buffer;
    expect(await parquetReadObjects({ file: buffer })).toEqual(rows);
  });

  it('write the CSV csv-stringify would, with empty cells for null', () => {
    const writer = new CsvTableWriter(join(dir, 'rows.csv'), CURVE_COLUMNS);
    writer.append(rows.slice(0, 400));
    writer.append([]);
    writer.append(rows.slice(400));
    writer.close();
    const names = CURVE_COLUMNS.map((c) => c.name);
    expect(readFileSync(join(dir, 'rows.csv'), 'utf8')).toBe(
      stringify([names, ...rows.map((row) => names.map((n) => row[n]))]),
    );
    expect(writer.rows).toBe(rows.length);
  });
});
