import { describe, expect, it } from 'vitest';
import { dartsSpace, nb201Space } from '../../core';
import {
  askedArchs,
  nb201Score,
  predictorStrategyCases,
  strategyContext,
} from '../../../test/support/predictor-strategy-cases';
import { askedIds, driveStrategy, replayAsks } from '../../../test/support/strategy-drive';
import { Bananas, parseBananasOptions } from './bananas';

function bananas(seed: number, raw: Record<string, unknown> = {}) {
  return new Bananas(strategyContext(nb201Space, seed), parseBananasOptions(raw));
}

describe('BANANAS', () => {
  it('never asks an architecture twice, with 3 workers telling out of order and every acquisition', async () => {
    for (const acquisition of ['THOMPSON', 'UCB', 'MEAN']) {
      const calls = await driveStrategy(bananas(2, { acquisition, mutants: 20, samples: 20 }), {
        space: nb201Space,
        objective: nb201Score,
        evaluations: 100,
        workers: 3,
      });
      const ids = askedArchs(calls).map((a) => nb201Space.id(a));
      expect(ids).toHaveLength(100);
      expect(new Set(ids).size, acquisition).toBe(100);
    }
  });

  it('replays: the same asks and tells give the same suggestions; another seed differs', async () => {
    const calls = await driveStrategy(bananas(3, { targets: 'RANK' }), {
      space: nb201Space,
      objective: nb201Score,
      evaluations: 40,
      workers: 3,
    });
    expect(await replayAsks(bananas(3, { targets: 'RANK' }), calls, nb201Space)).toEqual(askedIds(calls, nb201Space));
    expect(await replayAsks(bananas(4, { targets: 'RANK' }), calls, nb201Space)).not.toEqual(
      askedIds(calls, nb201Space),
    );
  });

  it('waits for two results before the predictor guides', async () => {
    const strategy = bananas(6, { initial: 3 });
    expect(await strategy.ask(5)).toHaveLength(3);
    expect(await strategy.ask(1)).toHaveLength(0);
  });

  predictorStrategyCases({
    onNb201: (seed, raw) => bananas(seed, raw),
    onSpace: (space, seed) => new Bananas(strategyContext(space, seed), parseBananasOptions({ parents: 2 })),
    optimumWithin: 60,
    parse: parseBananasOptions,
    badOptions: [
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
    ],
  });

  it('refuses the path encoding on darts with INVALID_ARGUMENT naming the option and space', () => {
    expect(() => new Bananas(strategyContext(dartsSpace, 0), parseBananasOptions({ encoding: 'path' }))).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        details: expect.objectContaining({ option: 'encoding', space: 'darts' }),
      }),
    );
  });
});
