import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nb201Space } from '../../src/core';
import { openStore } from '../../src/store';
import { importFile, resolveMapping } from '../../src/store/import';
import { createTestDatabase, type TestDatabase } from './test-database';

/** The first `n` NB201 cells in enumeration order, as canonical strings. */
export function nb201Archs(n: number): string[] {
  const out: string[] = [];
  for (const arch of nb201Space.enumerate()) {
    out.push(nb201Space.format(arch));
    if (out.length === n) break;
  }
  return out;
}

/** A deterministic fake accuracy in percent for cell i and seed s. */
export function fakeAcc(i: number, seed: number): number {
  return Math.round((50 + ((i * 37 + seed * 11) % 4000) / 100) * 1000) / 1000;
}

/**
 * Writes a long-format runs CSV like NB201's runs table: index, arch, dataset, seed, valid_acc. Rows cycle over
 * `cells` cells (default: one row per cell), so seed = 1 + row / cells.
 */
export function writeRunsCsv(
  dir: string,
  name: string,
  rows: number,
  edit?: (line: string[], i: number) => void,
  cells = Math.min(rows, 15_625),
): string {
  const archs = nb201Archs(cells);
  const lines = ['arch_index,arch_str,dataset,seed,valid_acc'];
  for (let i = 0; i < rows; i++) {
    const cell = i % archs.length;
    const seed = 1 + Math.floor(i / archs.length);
    const fields = [String(cell), archs[cell], 'cifar10-valid', String(seed), String(fakeAcc(cell, seed))];
    edit?.(fields, i);
    lines.push(fields.join(','));
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** The runs mapping used by the fixtures (the same shape as the nb201/runs preset). */
export const runsMapping = {
  arch: 'arch_str',
  externalId: { column: 'arch_index', scheme: 'nb201-index' },
  dataset: 'dataset',
  seed: 'seed',
  protocol: { value: 'hp=200' },
  accuracyScale: 'percent',
  metrics: { validAcc: 'valid_acc' },
  protocols: { 'hp=200': { epochs: 200 } },
};

/** Every NB201 cell isomorphic to `arch` (itself included), canonical, with its official index. */
export function nb201Isomorphs(arch: string): Array<{ index: number; arch: string }> {
  const isoClass = nb201Space.isoClass(nb201Space.parse(arch));
  const out: Array<{ index: number; arch: string }> = [];
  let index = 0;
  for (const cell of nb201Space.enumerate()) {
    if (nb201Space.isoClass(cell) === isoClass) out.push({ index, arch: nb201Space.format(cell) });
    index += 1;
  }
  return out;
}

/** A fresh test database holding `rows` runs of {@link writeRunsCsv} (imported with {@link runsMapping}) written in `dir`. */
export async function createDatabaseWithRuns(dir: string, rows: number): Promise<TestDatabase> {
  const database = await createTestDatabase();
  const store = await openStore({ config: database.config });
  try {
    await importFile({
      dataSource: store.dataSource,
      space: 'nb201',
      file: writeRunsCsv(dir, 'runs.csv', rows),
      mapping: resolveMapping(runsMapping),
      replace: false,
    });
  } finally {
    await store.close();
  }
  return database;
}
