import { describe, expect, it } from 'vitest';
import { createRng, nb201Space } from '../../core';
import { syntheticNb201Table } from '../../../test/support/search-fixtures';
import { TableEvaluator } from '../evaluator/table-evaluator';
import { createStrategy, STRATEGY_NAMES } from '../strategy';
import { runSearch } from './run-search';
import { resolveSearchSpec } from './search-spec';
import { runTableSearch } from './run-table-search';

const table = syntheticNb201Table();

function setup(strategy: string, seed = 0) {
  const evaluator = new TableEvaluator<unknown>({ table, defaultFidelity: 0, requireCosts: true });
  const context = {
    space: nb201Space as never,
    rng: createRng(seed),
    fidelities: evaluator.fidelities,
    defaultFidelity: 0,
  };
  return {
    evaluator,
    strategy: createStrategy(
      strategy,
      context,
      strategy === 'REGULARIZED_EVOLUTION' ? { population: 10, sampleSize: 3 } : {},
    ),
  };
}

describe('runSearch on a simulated clock', () => {
  it('stops at a time budget: no evaluation is started at or after it, and one that would end past it is not told', async () => {
    const { evaluator, strategy } = setup('RANDOM');
    const run = await runSearch({
      space: nb201Space,
      strategy,
      evaluator,
      budget: { kind: 'SECONDS', seconds: 2000 },
      workers: 1,
    });
    const told = run.told;
    expect(told.length).toBeGreaterThan(10);
    expect(run.seconds).toBeLessThanOrEqual(2000);
    // One worker: each evaluation starts when the previous ends, and the sum of told costs is the clock.
    expect(told.reduce((s, e) => s + e.cost, 0)).toBeCloseTo(run.seconds, 6);
    expect(run.discarded).toBe(1);
    expect(run.started).toBe(told.length + 1);
  });

  it('spends an evaluation budget exactly, with workers finishing out of order', async () => {
    const { evaluator, strategy } = setup('REGULARIZED_EVOLUTION');
    const run = await runSearch({
      space: nb201Space,
      strategy,
      evaluator,
      budget: { kind: 'EVALUATIONS', evaluations: 50 },
      workers: 4,
    });
    expect(run.told).toHaveLength(50);
    expect(run.discarded).toBe(0);
    const finishes = run.told.map((e) => e.finishedAt);
    expect(finishes).toEqual([...finishes].sort((a, b) => a - b));
    expect(run.told.map((e) => e.seq)).not.toEqual([...run.told.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('is honest for every strategy: the table is read once per evaluation, and the report reads finals apart', async () => {
    for (const name of STRATEGY_NAMES) {
      table.reads = 0;
      table.reportReads = 0;
      const spec = resolveSearchSpec({ preset: 'nb201-cifar10-valid', strategy: name, seed: 1, workers: 2 });
      const { report, run } = await runTableSearch({ spec, table });
      expect(table.reads, name).toBe(run.started);
      expect(report.evaluations + report.discarded, name).toBe(run.started);
      const reported = new Set([report.id, ...report.trajectory.map((p) => nb201Space.id(nb201Space.parse(p.arch)))]);
      expect(table.reportReads, name).toBe(reported.size);
      expect(report.final.value, name).toBe(table.data.final.values.get(report.id!));
      expect(report.regret, name).toBeCloseTo(table.optimum() - report.final.value!, 9);
    }
  });

  it('reports the answer along the trajectory in clock order, and the best observation as RANDOM and REA return it', async () => {
    for (const strategy of ['RANDOM', 'REGULARIZED_EVOLUTION']) {
      const spec = resolveSearchSpec({ preset: 'nb201-cifar10-valid', strategy, seed: 2 });
      const { report, run } = await runTableSearch({ spec, table });
      const best = Math.max(...run.told.map((e) => e.value));
      expect(report.observed.value).toBe(best);
      expect(report.trajectory.at(-1)!.arch).toBe(report.arch);
      const seconds = report.trajectory.map((p) => p.seconds);
      expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
      expect(report.trajectory.map((p) => p.observed)).toEqual(
        [...report.trajectory.map((p) => p.observed)].sort((a, b) => a! - b!),
      );
    }
  });

  it('gives the same report for the same seed', async () => {
    const spec = resolveSearchSpec({ preset: 'nb201-cifar10-valid', strategy: 'REINFORCE', seed: 5, workers: 3 });
    const a = (await runTableSearch({ spec, table })).report;
    const b = (await runTableSearch({ spec, table })).report;
    expect({ ...a, wallSeconds: 0 }).toEqual({ ...b, wallSeconds: 0 });
  });
});
