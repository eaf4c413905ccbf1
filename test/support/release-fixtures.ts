import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { DataSource } from 'typeorm';
import { createRng, getSpace } from '../../src/core';
import { importFile, resolveMapping } from '../../src/store/import';
import { fakeAcc, nb201Archs } from './nb201-fixtures';

const HP200 = {
  'hp=200': {
    epochs: 200,
    hyperparameters: { optimizer: 'SGD', learningRate: 0.1, batchSize: 256 },
    description: '200 epochs',
  },
};

/** A loss-like double with a long binary expansion, to prove values survive CSV and Parquet exactly. */
const fakeLoss = (i: number, seed: number) => (i * 0.7391 + seed) / 3;

function writeCsv(dir: string, name: string, rows: unknown[][]): string {
  const path = join(dir, name);
  writeFileSync(path, stringify(rows));
  return path;
}

/**
 * Fills an empty store with a small mixed benchmark through `importFile`: NB201 per-seed runs (one TRAINED) on two
 * datasets, seed means with seed counts (hp=200) and without (hp=12), curves of seed means and of one seed with epoch
 * times, a curve whose run has no final metric, and NB101 runs.
 */
export async function importReleaseFixtures(dataSource: DataSource, dir: string): Promise<void> {
  const archs = nb201Archs(16);
  const run = (file: string, mapping: unknown, space = 'nb201') =>
    importFile({ dataSource, space, file, mapping: resolveMapping(mapping), replace: false });

  const seeds = [
    ['arch_index', 'arch_str', 'dataset', 'seed', 'source', 'valid_acc', 'test_acc', 'train_loss', 'train_seconds'],
  ];
  for (const dataset of ['cifar10-valid', 'cifar100']) {
    for (let i = 0; i < 12; i++) {
      for (const seed of [777, 888])
        seeds.push([
          i,
          archs[i],
          dataset,
          seed,
          i === 0 && seed === 777 ? 'TRAINED' : 'IMPORTED',
          fakeAcc(i, seed),
          fakeAcc(i + 1, seed),
          fakeLoss(i, seed),
          1000 + i,
        ] as never);
    }
  }
  await run(writeCsv(dir, 'seeds.csv', seeds), {
    arch: 'arch_str',
    externalId: { column: 'arch_index', scheme: 'nb201-index' },
    dataset: 'dataset',
    seed: 'seed',
    protocol: { value: 'hp=200' },
    source: 'source',
    accuracyScale: 'percent',
    metrics: { validAcc: 'valid_acc', testAcc: 'test_acc', trainLoss: 'train_loss' },
    trainSeconds: 'train_seconds',
    protocols: HP200,
  });

  const means = [['idx', 'arch', 'n', 'c10_valid', 'c100_valid', 'c100_test', 'c10_valid_12ep']];
  archs.forEach((arch, i) =>
    means.push([i, arch, 3, fakeAcc(i, 1), fakeAcc(i, 2), fakeAcc(i, 3), fakeAcc(i, 4)] as never),
  );
  await run(writeCsv(dir, 'means.csv', means), {
    arch: 'arch',
    externalId: { column: 'idx', scheme: 'nb201-index' },
    seedMean: true,
    seedCount: 'n',
    accuracyScale: 'percent',
    protocols: { ...HP200, 'hp=12': { epochs: 12 } },
    wide: [
      {
        pattern: '(?<dataset>c10|c100)_(?<metric>valid|test)',
        protocol: 'hp=200',
        values: { dataset: { c10: 'cifar10-valid', c100: 'cifar100' }, metric: { valid: 'validAcc', test: 'testAcc' } },
      },
      { pattern: 'c10_valid_12ep', metric: 'validAcc', dataset: 'cifar10-valid', protocol: 'hp=12' },
    ],
  });

  const curves = [['arch_str', 'seed', 'epoch', 'valid_acc', 'train_loss', 'epoch_seconds']];
  for (let i = 0; i < 4; i++)
    for (let e = 1; e <= 5; e++) curves.push([archs[i], '', e, fakeAcc(i, e), fakeLoss(i, e), 10 + e / 3] as never);
  for (let e = 1; e <= 5; e++)
    curves.push([archs[0], 777, e, fakeAcc(0, e + 10), fakeLoss(0, e + 10), 9 + e / 7] as never);
  for (let e = 1; e <= 2; e++) curves.push([archs[5], 999, e, fakeAcc(5, e), null, null] as never);
  await run(writeCsv(dir, 'curves.csv', curves), {
    arch: 'arch_str',
    dataset: { value: 'cifar10-valid' },
    protocol: { value: 'hp=200' },
    seed: 'seed',
    seedMean: 'whenSeedEmpty',
    epoch: 'epoch',
    accuracyScale: 'percent',
    metrics: { validAcc: 'valid_acc', trainLoss: 'train_loss' },
    epochSeconds: 'epoch_seconds',
  });

  const nb101 = getSpace('nb101');
  const rng = createRng(101);
  const cells = [['arch', 'valid_acc', 'test_acc']];
  const ids = new Set<string>();
  while (ids.size < 5) {
    const cell = nb101.sample(rng);
    if (ids.has(nb101.id(cell))) continue;
    ids.add(nb101.id(cell));
    cells.push([nb101.format(cell), fakeAcc(ids.size, 101), fakeAcc(ids.size, 102)] as never);
  }
  await run(
    writeCsv(dir, 'nb101.csv', cells),
    {
      arch: 'arch',
      dataset: { value: 'cifar10' },
      protocol: { value: 'nb101-108' },
      seed: { value: 0 },
      accuracyScale: 'percent',
      metrics: { validAcc: 'valid_acc', testAcc: 'test_acc' },
      protocols: { 'nb101-108': { epochs: 108, hyperparameters: { batchSize: 256 } } },
    },
    'nb101',
  );
}

/** NB201 runs the fixtures hold: 48 per-seed, 48 seed means, 1 with a curve and no final metric. */
export const FIXTURE_NB201_RUNS = 48 + 16 * 3 + 1;
