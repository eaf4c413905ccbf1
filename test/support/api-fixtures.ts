import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { importFile, resolveMapping } from '../../src/store/import';
import { fakeAcc, nb201Archs, runsMapping, writeRunsCsv } from './nb201-fixtures';

/** What the API fixtures hold, for assertions. */
export const API_FIXTURE = {
  /** Cells with seeds 1 and 2 on cifar10-valid, hp=200 (official indices 0..cells-1). */
  cells: 120,
  /** Cells with a 3-epoch curve under protocol p3 (seed 1) and a published seed-mean curve. */
  curveCells: 5,
};

/** Imports small NB201-shaped data through the real importer: per-seed runs, cifar100 seed means, and curves. */
export async function importApiFixtures(dataSource: DataSource): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nashub-api-fixtures-'));
  try {
    const runs = writeRunsCsv(dir, 'runs.csv', API_FIXTURE.cells * 2, undefined, API_FIXTURE.cells);
    await importFile({ dataSource, space: 'nb201', file: runs, mapping: resolveMapping(runsMapping), replace: false });

    const archs = nb201Archs(API_FIXTURE.cells);
    const summary = join(dir, 'summary.csv');
    writeFileSync(
      summary,
      [
        'idx,arch,c100_valid,c100_test',
        ...archs.map((a, i) => `${i},${a},${fakeAcc(i, 9) - 20},${fakeAcc(i, 8) - 20}`),
      ].join('\n'),
    );
    await importFile({
      dataSource,
      space: 'nb201',
      file: summary,
      replace: false,
      mapping: resolveMapping({
        arch: 'arch',
        externalId: { column: 'idx', scheme: 'nb201-index' },
        dataset: { value: 'cifar100' },
        protocol: { value: 'hp=200' },
        seedMean: true,
        accuracyScale: 'percent',
        metrics: { validAcc: 'c100_valid', testAcc: 'c100_test' },
      }),
    });

    const curves = join(dir, 'curves.jsonl');
    const lines = archs
      .slice(0, API_FIXTURE.curveCells)
      .flatMap((a, i) => [
        JSON.stringify({ arch: a, seed: 1, valid: [10 + i, 20 + i, 30 + i], train: [11 + i, 21 + i, 31 + i] }),
      ]);
    writeFileSync(curves, lines.join('\n'));
    await importFile({
      dataSource,
      space: 'nb201',
      file: curves,
      replace: false,
      mapping: resolveMapping({
        arch: 'arch',
        dataset: { value: 'cifar10-valid' },
        protocol: { value: 'p3' },
        seed: 'seed',
        accuracyScale: 'percent',
        curves: { validAcc: 'valid', trainAcc: 'train' },
        protocols: { p3: { epochs: 3, hyperparameters: { lowFidelity: true } } },
      }),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
