import { describe, expect, it } from 'vitest';
import { createRng, nb201Space } from '../../core';
import { askedIds, driveStrategy, replayAsks } from '../../../test/support/strategy-drive';
import { RandomSearch } from './random-search';
import { createStrategy } from './strategy-registry';

const context = (seed: number) => ({
  space: nb201Space,
  rng: createRng(seed),
  fidelities: [{ protocol: 'p', epochs: 1 }],
  defaultFidelity: 0,
});
const objective = (arch: readonly string[]) =>
  arch.filter((op) => op === 'nor_conv_3x3').length + arch.filter((op) => op === 'skip_connect').length / 10;

describe('RANDOM', () => {
  it('asks uniform samples at the default fidelity and returns the best observation (the first of equals)', async () => {
    const strategy = new RandomSearch(context(1));
    const calls = await driveStrategy(strategy, { space: nb201Space, objective, evaluations: 100, workers: 4 });
    const told = calls.flatMap((c) => (c.kind === 'tell' ? c.observations : []));
    expect(told).toHaveLength(100);
    expect(calls.every((c) => c.kind === 'tell' || c.answer.every((s) => s.fidelity === 0))).toBe(true);
    const best = Math.max(...told.map((o) => o.value));
    expect(strategy.recommend()).toEqual(told.find((o) => o.value === best)!.arch);
    // Uniform: over 100 draws every op shows up on the first edge.
    expect(new Set(told.map((o) => o.arch[0])).size).toBe(5);
  });

  it('replays its asks from the same seed', async () => {
    const calls = await driveStrategy(new RandomSearch(context(2)), {
      space: nb201Space,
      objective,
      evaluations: 30,
      workers: 3,
    });
    expect(await replayAsks(new RandomSearch(context(2)), calls, nb201Space)).toEqual(askedIds(calls, nb201Space));
  });

  it('has no options', () => {
    expect(() => createStrategy('RANDOM', context(3), { population: 3 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
