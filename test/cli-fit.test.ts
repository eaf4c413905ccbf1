import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store';
import { createDatabaseWithRuns } from './support/nb201-fixtures';
import { spawnNashub } from './support/spawn-nashub';
import { onPostgres, type TestDatabase } from './support/test-database';

describe(`nashub fit and predict through the real CLI (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-cli-fit-'));
    database = await createDatabaseWithRuns(dir, 60);
  }, 120_000);

  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fits a LINEAR predictor from the store and prints its READY row', async () => {
    const proc = spawnNashub(
      ['fit', '--space', 'nb201', '--dataset', 'cifar10-valid', '--kind', 'LINEAR', '--seed', '2'],
      database.env,
    );
    expect(await proc.exited).toBe(0);
    const out = JSON.parse(proc.stdout().trim().split('\n').pop()!);
    expect(out.predictor).toMatchObject({
      status: 'READY',
      kind: 'LINEAR',
      space: 'nb201',
      metric: 'validAcc',
      seed: 2,
      trainSize: 48,
    });
    expect(out.cachedPredictions).toBe(15_625);

    const arch = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
    const predict = spawnNashub(
      [
        'predict',
        '--space',
        'nb201',
        '--dataset',
        'cifar10-valid',
        arch,
        '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|',
      ],
      database.env,
    );
    expect(await predict.exited).toBe(0);
    const lines = predict
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ arch, predictor: { id: out.predictor.id, kind: 'LINEAR', status: 'READY' } });
    expect(Number.isFinite(lines[0].mean)).toBe(true);
    const bad = spawnNashub(['predict', '--space', 'nb201', '--dataset', 'cifar10-valid', '|bogus~0|'], database.env);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('INVALID_ARCHITECTURE');
  }, 120_000);

  it('answers bad flags with one typed line and exit code 2, writing nothing', async () => {
    for (const [args, code] of [
      [['--kind', 'NOPE'], 'INVALID_ARGUMENT'],
      [['--dataset', 'imagenet'], 'UNKNOWN_DATASET'],
      [['--metric', 'accuracy'], 'INVALID_ARGUMENT'],
      [['--train-size', 'ten'], 'INVALID_ARGUMENT'],
    ] as const) {
      const base: Record<string, string> = { '--space': 'nb201', '--dataset': 'cifar10-valid', '--kind': 'LINEAR' };
      base[args[0]] = args[1];
      const proc = spawnNashub(['fit', ...Object.entries(base).flat()], database.env);
      expect(await proc.exited).toBe(2);
      expect(proc.stderr()).toContain(code);
    }
    const store = await openStore({ config: database.config, migrate: false });
    try {
      const [{ n }] = await store.dataSource.manager.query(`SELECT count(*)::int AS n FROM predictor`);
      expect(n).toBe(1);
    } finally {
      await store.close();
    }
  }, 180_000);
});
