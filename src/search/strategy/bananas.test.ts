import { describe, expect, it } from 'vitest';
import { createRng, dartsSpace, nb101Space, nb201Space, type Nb201Arch, type SearchSpace } from '../../core';
import { askedIds, driveStrategy, replayAsks } from '../../../test/support/strategy-drive';
import { Bananas, parseBananasOptions } from './bananas';
import type { StrategyContext } from './strategy';

const WEIGHT: Record<string, number> = {
  none: 0,
  avg_pool_3x3: 0.5,
  skip_connect: 1,
  nor_conv_1x1: 2,
  nor_conv_3x3: 3,
};
/** Additive score with one interaction, so the optimum (18) is unique: all nor_conv_3x3. */
const score = (arch: Nb201Arch) => arch.reduce((sum, op) => sum + WEIGHT[op]!, 0) + (arch[0] === arch[5] ? 0.5 : 0);
const FIDELITIES = [{ protocol: 'p', epochs: 1 }];

function context<A>(space: SearchSpace<A>, seed: number): StrategyContext<A> {
  return { space, rng: createRng(seed), fidelities: FIDELITIES, defaultFidelity: 0 };
}

function bananas(seed: number, raw: Record<string, unknown> = {}) {
  return new Bananas(context(nb201Space, seed), parseBananasOptions(raw));
}

const asked = (calls: Awaited<ReturnType<typeof driveStrategy<Nb201Arch>>>) =>
  calls.flatMap((c) => (c.kind === 'ask' ? c.answer.map((s) => s.arch) : []));

describe('BANANAS', () => {
  it('guides by its predictor: finds the optimum of a smooth objective that random samples of the same size miss', async () => {
    const calls = await driveStrategy(bananas(1), { space: nb201Space, objective: score, evaluations: 60, workers: 1 });
    const archs = asked(calls);
    expect(Math.max(...archs.map(score))).toBe(18.5);
    expect(Math.max(...archs.slice(0, 10).map(score))).toBeLessThan(18.5);
  });

  it('never asks an architecture twice, with 3 workers telling out of order and every acquisition', async () => {
    for (const acquisition of ['THOMPSON', 'UCB', 'MEAN']) {
      const calls = await driveStrategy(bananas(2, { acquisition, mutants: 20, samples: 20 }), {
        space: nb201Space,
        objective: score,
        evaluations: 100,
        workers: 3,
      });
      const ids = asked(calls).map((a) => nb201Space.id(a));
      expect(ids).toHaveLength(100);
      expect(new Set(ids).size, acquisition).toBe(100);
    }
  });

  it('replays: the same asks and tells give the same suggestions; another seed differs', async () => {
    const calls = await driveStrategy(bananas(3, { targets: 'RANK' }), {
      space: nb201Space,
      objective: score,
      evaluations: 40,
      workers: 3,
    });
    expect(await replayAsks(bananas(3, { targets: 'RANK' }), calls, nb201Space)).toEqual(askedIds(calls, nb201Space));
    expect(await replayAsks(bananas(4, { targets: 'RANK' }), calls, nb201Space)).not.toEqual(
      askedIds(calls, nb201Space),
    );
  });

  it('uses only told data: values of architectures it never asked cannot change what it asks', async () => {
    const first = await driveStrategy(bananas(5), { space: nb201Space, objective: score, evaluations: 50, workers: 2 });
    const seen = new Set(asked(first).map((a) => nb201Space.id(a)));
    // Every architecture the run did not pay for now has a wildly different value.
    const changed = (arch: Nb201Arch) => (seen.has(nb201Space.id(arch)) ? score(arch) : 1000 - score(arch));
    const second = await driveStrategy(bananas(5), {
      space: nb201Space,
      objective: changed,
      evaluations: 50,
      workers: 2,
    });
    expect(askedIds(second, nb201Space)).toEqual(askedIds(first, nb201Space));
  });

  it('waits for two results before the predictor guides', async () => {
    const strategy = bananas(6, { initial: 3 });
    expect(await strategy.ask(5)).toHaveLength(3);
    expect(await strategy.ask(1)).toHaveLength(0);
  });

  it('runs on nb101 (path encoding) and darts (one-hot, its only vector encoding), asking valid distinct architectures', async () => {
    for (const space of [nb101Space, dartsSpace] as SearchSpace<unknown>[]) {
      const strategy = new Bananas(context(space, 7), parseBananasOptions({ parents: 2 }));
      const calls = await driveStrategy(strategy, {
        space,
        objective: (a) => space.id(a).charCodeAt(3),
        evaluations: 25,
        workers: 2,
      });
      const ids = calls.flatMap((c) => (c.kind === 'ask' ? c.answer.map((s) => space.id(space.validate(s.arch))) : []));
      expect(new Set(ids).size, space.name).toBe(25);
      expect(strategy.recommend(), space.name).not.toBeNull();
    }
  });

  it('refuses bad options with INVALID_ARGUMENT naming the option', () => {
    for (const raw of [
      { initial: 1 },
      { parents: 0 },
      { mutants: -1 },
      { samples: 0.5 },
      { acquisition: 'EI' },
      { beta: -1 },
      { encoding: 'adjacency' },
      { targets: 'LOG' },
      { hyperparameterEvery: 0 },
      { parent: 3 },
    ]) {
      expect(() => parseBananasOptions(raw)).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          details: expect.objectContaining({ option: Object.keys(raw)[0] }),
        }),
      );
    }
    expect(() => new Bananas(context(dartsSpace, 0), parseBananasOptions({ encoding: 'path' }))).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        details: expect.objectContaining({ option: 'encoding', space: 'darts' }),
      }),
    );
  });
});
