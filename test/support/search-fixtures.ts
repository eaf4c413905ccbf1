import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nb201Space } from '../../src/core';
import { SearchTable } from '../../src/search/table/search-table';

const WEIGHT: Record<string, number> = {
  none: 0,
  avg_pool_3x3: 0.6,
  skip_connect: 1.1,
  nor_conv_1x1: 1.7,
  nor_conv_3x3: 2.3,
};

/** A deterministic pseudo-noise in [0, 1) from an integer. */
function noise(i: number, salt: number): number {
  let h = Math.imul(i ^ salt, 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) / 4294967296;
}

/** Synthetic NB201-like values of one cell: hp=200 and hp=12 validation accuracy (percent) and 200-epoch seconds. */
export interface SyntheticCell {
  index: number;
  arch: string;
  valid200: number;
  valid12: number;
  trainSeconds200: number;
}

/** All 15,625 cells in enumeration order with values that reward convolutions, hp=12 a noisy lower copy of hp=200. */
export function syntheticNb201Cells(): SyntheticCell[] {
  const cells: SyntheticCell[] = [];
  let index = 0;
  for (const arch of nb201Space.enumerate()) {
    const score = arch.reduce((sum, op, edge) => sum + WEIGHT[op] * (1 + edge / 6), 0);
    const valid200 = Math.round((70 + score + 2 * noise(index, 1)) * 1000) / 1000;
    const valid12 = Math.round((valid200 - 15 + 6 * noise(index, 2)) * 1000) / 1000;
    const trainSeconds200 = Math.round((1000 + 80 * score + 400 * noise(index, 3)) * 100) / 100;
    cells.push({ index, arch: nb201Space.format(arch), valid200, valid12, trainSeconds200 });
    index++;
  }
  return cells;
}

/** The synthetic cells as an in-memory table of the nb201-cifar10-valid preset's shape (no database). */
export function syntheticNb201Table(): SearchTable {
  const cells = syntheticNb201Cells();
  const costs = (epochs: number) => new Map(cells.map((c) => [c.arch, (c.trainSeconds200 * epochs) / 200]));
  return new SearchTable({
    space: 'nb201',
    dataset: 'cifar10-valid',
    fidelities: [
      {
        protocol: 'hp=12',
        epochs: 12,
        metric: 'validAcc',
        values: new Map(cells.map((c) => [c.arch, c.valid12])),
        costs: costs(12),
      },
      {
        protocol: 'hp=200',
        epochs: 200,
        metric: 'validAcc',
        values: new Map(cells.map((c) => [c.arch, c.valid200])),
        costs: costs(200),
      },
    ],
    final: { protocol: 'hp=200', metric: 'validAcc', values: new Map(cells.map((c) => [c.arch, c.valid200])) },
  });
}

/**
 * Writes the synthetic cells as a file shaped like `nb201_summary.csv` (cifar10-valid columns only), which the
 * `nb201/summary` mapping imports as hp=200 and hp=12 seed means with hp=200 training seconds.
 */
export function writeSyntheticSummaryCsv(dir: string): string {
  const lines = ['arch_index,arch_str,cifar10_valid_acc,cifar10_valid_acc_12ep,train_time_s_cifar10'];
  for (const c of syntheticNb201Cells())
    lines.push([c.index, c.arch, c.valid200, c.valid12, c.trainSeconds200].join(','));
  const path = join(dir, 'synthetic_summary.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
