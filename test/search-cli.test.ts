import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store';
import { syntheticNb201Cells } from './support/search-fixtures';
import { importSyntheticSummary } from './support/search-service-fixtures';
import { runNashub, type NashubRun } from './support/spawn-nashub';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';
import { parseXmlElements } from './support/xml-well-formed';

const cells = new Map(syntheticNb201Cells().map((c) => [c.arch, c]));

describe(`nashub search and bench search through the real CLI (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'nashub-search-cli-'));
  });

  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("names the missing import when a preset's data is not in the store", async () => {
    const run = await runNashub(['search', '--preset', 'nb201-cifar10-valid', '--strategy', 'RANDOM'], database.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^nashub: DATA_NOT_IMPORTED: .*--map nb201\/summary/);
    expect(run.lines).toEqual([]);
  }, 120_000);

  it('imports a synthetic NB201 summary for the rest of the file', async () => {
    const store = await openStore({ config: database.config });
    try {
      const result = await importSyntheticSummary(store.dataSource);
      expect(result.status).toBe('IMPORTED');
    } finally {
      await store.close();
    }
  }, 300_000);

  it('runs the NB201 protocol and prints one JSON report whose numbers are the stored ones', async () => {
    const run = await runNashub(
      ['search', '--preset', 'nb201-cifar10-valid', '--strategy', 'REGULARIZED_EVOLUTION', '--seed', '3'],
      database.env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines).toHaveLength(1);
    const report = JSON.parse(run.lines[0]);
    expect(report).toMatchObject({
      space: 'nb201',
      dataset: 'cifar10-valid',
      preset: 'nb201-cifar10-valid',
      mode: 'TABLE',
      strategy: 'REGULARIZED_EVOLUTION',
      seed: 3,
      budget: { seconds: 12_000 },
    });
    expect(report.strategyOptions).toEqual({ population: 10, sampleSize: 3 });
    const cell = cells.get(report.arch)!;
    expect(report.final).toEqual({ protocol: 'hp=200', metric: 'validAcc', value: cell.valid200 });
    expect(report.observed).toEqual({ protocol: 'hp=12', metric: 'validAcc', value: cell.valid12 });
    expect(report.seconds).toBeGreaterThan(10_000);
    expect(report.seconds).toBeLessThanOrEqual(12_000);
    expect(report.evaluations).toBeGreaterThan(20);
    expect(report.trajectory.at(-1).arch).toBe(report.arch);
    for (const point of report.trajectory) expect(point.final).toBe(cells.get(point.arch)!.valid200);
    // Not a TTY: progress is JSON lines on stderr.
    const progress = run.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(progress.at(-1)).toMatchObject({ job: 'search', event: 'progress', evaluations: report.evaluations });
  }, 120_000);

  it('takes a protocol, an evaluation budget, workers and strategy options instead of a preset', async () => {
    const run = await runNashub(
      [
        'search',
        '--space',
        'nb201',
        '--dataset',
        'cifar10-valid',
        '--protocol',
        'hp=200',
        '--strategy',
        'REGULARIZED_EVOLUTION',
        '--option',
        'population=5',
        '--option',
        'removal=WORST',
        '--budget-evals',
        '30',
        '--workers',
        '4',
      ],
      database.env,
    );
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.lines[0]);
    expect(report).toMatchObject({
      preset: null,
      workers: 4,
      budget: { evaluations: 30 },
      evaluations: 30,
      strategyOptions: { population: '5', removal: 'WORST' },
    });
    expect(report.final.value).toBe(cells.get(report.arch)!.valid200);
    expect(report.observed.value).toBe(report.final.value);
  }, 120_000);

  it('answers bad input with one typed line and exit code 2', async () => {
    const preset = ['--preset', 'nb201-cifar10-valid'];
    // Refused before the store is opened, so these may run side by side.
    const early: Array<[string[], string]> = [
      [[...preset, '--strategy', 'SIMULATED_ANNEALING'], 'UNKNOWN_STRATEGY'],
      [['--preset', 'nb301-cifar10', '--strategy', 'RANDOM'], 'UNKNOWN_PRESET'],
      [
        [
          '--space',
          'nb999',
          '--dataset',
          'cifar10-valid',
          '--protocol',
          'hp=200',
          '--strategy',
          'RANDOM',
          '--budget-evals',
          '5',
        ],
        'UNKNOWN_SPACE',
      ],
      [[...preset, '--strategy', 'RANDOM', '--budget-seconds', '0'], 'INVALID_ARGUMENT'],
      [[...preset, '--strategy', 'RANDOM', '--budget-evals', '-2'], 'INVALID_ARGUMENT'],
      [[...preset, '--strategy', 'RANDOM', '--option', 'population=3'], 'INVALID_ARGUMENT'],
      [[...preset, '--strategy', 'RANDOM', '--mode', 'live'], 'INVALID_ARGUMENT'],
      [[...preset, '--strategy', 'RANDOM', '--early-stopping', '0.05'], 'INVALID_ARGUMENT'],
    ];
    // Need the store.
    const late: Array<[string[], string]> = [
      [
        [
          '--space',
          'nb201',
          '--dataset',
          'imagenet',
          '--protocol',
          'hp=200',
          '--strategy',
          'RANDOM',
          '--budget-evals',
          '5',
        ],
        'UNKNOWN_DATASET',
      ],
      [['--preset', 'nb201-cifar100', '--strategy', 'RANDOM'], 'DATA_NOT_IMPORTED'],
      // hp=12 has no stored training time: a time budget cannot be simulated.
      [
        [
          '--space',
          'nb201',
          '--dataset',
          'cifar10-valid',
          '--protocol',
          'hp=12',
          '--strategy',
          'RANDOM',
          '--budget-seconds',
          '500',
        ],
        'DATA_NOT_IMPORTED',
      ],
      // NAS-Bench-201's imported protocols are not trainer protocols.
      [[...preset, '--strategy', 'RANDOM', '--mode', 'training', '--budget-evals', '2'], 'INVALID_ARGUMENT'],
    ];
    const check = (args: string[], code: string, run: NashubRun) => {
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(new RegExp(`^nashub: ${code}: `));
      expect(run.lines, args.join(' ')).toEqual([]);
    };
    const runs = await Promise.all(early.map(([args]) => runNashub(['search', ...args], database.env)));
    early.forEach(([args, code], i) => check(args, code, runs[i]));
    for (const [args, code] of late) check(args, code, await runNashub(['search', ...args], database.env));
  }, 300_000);

  it('benches strategies over seeded runs: one JSON line each, and a well-formed SVG with one series per strategy', async () => {
    const svg = join(dir, 'regret.svg');
    const run = await runNashub(
      [
        'bench',
        'search',
        '--preset',
        'nb201-cifar10-valid',
        '--strategies',
        'RANDOM,REGULARIZED_EVOLUTION,HYPERBAND',
        '--option',
        'HYPERBAND.eta=4',
        '--runs',
        '4',
        '--points',
        '25',
        '--svg',
        svg,
      ],
      database.env,
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = run.lines.map((l) => JSON.parse(l));
    expect(lines.map((l) => l.strategy)).toEqual(['RANDOM', 'REGULARIZED_EVOLUTION', 'HYPERBAND(eta=4)', undefined]);
    const optimum = Math.max(...[...cells.values()].map((c) => c.valid200));
    for (const line of lines.slice(0, 3)) {
      expect(line).toMatchObject({ preset: 'nb201-cifar10-valid', runs: 4, budgetSeconds: 12_000, optimum });
      expect(line.final.n).toBe(4);
      expect(line.atFraction['100']).toEqual(line.final);
      expect(line.regret.mean).toBeCloseTo(optimum - line.final.mean, 9);
      expect(line.atFraction['25'].mean).toBeLessThanOrEqual(line.atFraction['100'].mean + 1e-9);
      // The published REA mean is the bar; where the mean curve reaches it, that is a grid point within the budget.
      expect(line.reachesReaMean.target).toBe(91.19);
      if (line.reachesReaMean.seconds !== null)
        expect(line.reachesReaMean.fraction).toBeCloseTo(line.reachesReaMean.seconds / 12_000, 9);
    }
    expect(lines[0].published).toEqual({ method: 'RS', mean: 90.93, std: 0.36 });
    expect(lines[2].options).toEqual({ eta: '4' });
    expect(lines[3]).toMatchObject({ summary: true, svg });
    const series = parseXmlElements(readFileSync(svg, 'utf8')).filter(
      (e) => e.name === 'g' && e.attributes.class === 'series',
    );
    expect(series.map((s) => s.attributes['data-strategy'])).toEqual([
      'RANDOM',
      'REGULARIZED_EVOLUTION',
      'HYPERBAND(eta=4)',
    ]);
  }, 120_000);
});
