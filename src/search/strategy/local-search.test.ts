import { describe, expect, it } from 'vitest';
import { createRng, nb201Space, type Nb201Arch } from '../../core';
import { askedIds, driveStrategy, replayAsks } from '../../../test/support/strategy-drive';
import { LocalSearch, parseLocalSearchOptions } from './local-search';

const context = (seed: number) => ({
  space: nb201Space,
  rng: createRng(seed),
  fidelities: [{ protocol: 'p', epochs: 1 }],
  defaultFidelity: 0,
});
const WEIGHT: Record<string, number> = { none: 0, avg_pool_3x3: 1, skip_connect: 2, nor_conv_1x1: 3, nor_conv_3x3: 4 };
// Separable, with distinct weights: every local optimum of best-improvement is the global one, all nor_conv_3x3.
const score = (arch: Nb201Arch) => arch.reduce((sum, op, edge) => sum + WEIGHT[op] * (edge + 1), 0);
const distance = (a: Nb201Arch, b: Nb201Arch) => a.filter((op, i) => op !== b[i]).length;

describe('LOCAL_SEARCH', () => {
  it('evaluates the whole neighbourhood of its start, climbs to the optimum, and never evaluates a cell twice', async () => {
    const strategy = new LocalSearch(context(1), parseLocalSearchOptions({}));
    const calls = await driveStrategy(strategy, { space: nb201Space, objective: score, evaluations: 300, workers: 1 });
    const asked = calls.flatMap((c) => (c.kind === 'ask' ? c.answer.map((s) => s.arch) : []));
    const start = asked[0];
    expect(asked.slice(1, 25).every((arch) => distance(arch, start) === 1)).toBe(true);
    expect(new Set(asked.map((a) => nb201Space.id(a))).size).toBe(asked.length);
    expect(strategy.recommend()).toEqual(new Array(6).fill('nor_conv_3x3'));
  });

  it('restarts from a fresh random cell at a local optimum', async () => {
    // A flat objective: every start is a local optimum, so after each 25 evaluations (start + 24 neighbours) it restarts.
    const calls = await driveStrategy(new LocalSearch(context(2), parseLocalSearchOptions({})), {
      space: nb201Space,
      objective: () => 1,
      evaluations: 60,
      workers: 1,
    });
    const asked = calls.flatMap((c) => (c.kind === 'ask' ? c.answer.map((s) => s.arch) : []));
    expect(distance(asked[25], asked[0])).toBeGreaterThan(1);
    expect(asked.slice(26, 50).every((arch) => distance(arch, asked[25]) === 1)).toBe(true);
  });

  it('replays with 3 workers (asks wait while the neighbourhood is out)', async () => {
    const calls = await driveStrategy(new LocalSearch(context(3), parseLocalSearchOptions({})), {
      space: nb201Space,
      objective: score,
      evaluations: 120,
      workers: 3,
    });
    expect(await replayAsks(new LocalSearch(context(3), parseLocalSearchOptions({})), calls, nb201Space)).toEqual(
      askedIds(calls, nb201Space),
    );
    expect(calls.some((c) => c.kind === 'ask' && c.answer.length < c.n)).toBe(true);
  });
});
