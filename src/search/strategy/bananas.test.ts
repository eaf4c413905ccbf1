import { describe, expect, it } from 'vitest';
import { dartsSpace, nb101Space, nb201Space, type Nb201Arch, type SearchSpace } from '../../core';
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

  it('defaults to the one-hot encoding, 1,000 uniform samples beside the neighbours and an exploring third ask', () => {
    expect(parseBananasOptions({})).toMatchObject({
      encoding: 'onehot',
      samples: 1000,
      parents: 10,
      explore: 3,
      radius: 3,
    });
    expect(parseBananasOptions({ encoding: 'default' }).encoding).toBeNull();
  });

  it('asks away from its parents with the default samples, and only their neighbours with samples=0 explore=0', async () => {
    const edits = (a: readonly string[], b: readonly string[]) => a.filter((op, i) => op !== b[i]).length;
    // Guided asks (after the 10 initial samples) that are more than one edit from everything asked before them.
    const jumps = async (raw: Record<string, unknown>) => {
      const archs = askedArchs(
        await driveStrategy(bananas(8, raw), { space: nb201Space, objective: nb201Score, evaluations: 60, workers: 1 }),
      );
      return archs.filter((arch, i) => i >= 10 && archs.slice(0, i).every((earlier) => edits(arch, earlier) > 1))
        .length;
    };
    expect(await jumps({ samples: 0, explore: 0 })).toBe(0);
    expect(await jumps({ explore: 0 })).toBeGreaterThan(0);
    expect(await jumps({ samples: 0 })).toBeGreaterThan(0);
  });

  it('asks every explore-th guided architecture more than radius edits from the incumbent of that moment', async () => {
    const edits = (a: readonly string[], b: readonly string[]) => a.filter((op, i) => op !== b[i]).length;
    for (const raw of [{}, { explore: 2, radius: 2, initial: 5 }]) {
      const options = parseBananasOptions(raw);
      const calls = await driveStrategy(bananas(9, raw), {
        space: nb201Space,
        objective: nb201Score,
        evaluations: 60,
        workers: 1,
      });
      let best: { arch: readonly string[]; value: number } | null = null;
      let asked = 0;
      let checked = 0;
      for (const call of calls) {
        if (call.kind === 'tell') {
          for (const o of call.observations) if (best === null || o.value > best.value) best = o;
          continue;
        }
        for (const { arch } of call.answer) {
          asked++;
          const guided = asked - options.initial;
          if (guided > 0 && guided % options.explore === 0) {
            expect(edits(arch, best!.arch), JSON.stringify(raw)).toBeGreaterThan(options.radius);
            checked++;
          }
        }
      }
      expect(checked).toBe(Math.floor((60 - options.initial) / options.explore));
    }
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
      { explore: -1 },
      { radius: 1.5 },
      { acquisition: 'EI' },
      { beta: -1 },
      { encoding: 'adjacency' },
      { targets: 'LOG' },
      { hyperparameterEvery: 0 },
      { parent: 3 },
    ],
  });

  describe('pool=SPACE (acquisition over every unasked cell of an enumerable space)', () => {
    it('brings its own defaults, each of which can still be given', () => {
      expect(parseBananasOptions({ pool: 'SPACE' })).toMatchObject({
        pool: 'SPACE',
        initial: 15,
        explore: 2,
        acquisition: 'UCB',
        beta: 2,
        encoding: 'onehot',
        zeroCost: 'FLOPS',
        warmup: 15,
        prior: 'LINEAR',
      });
      expect(parseBananasOptions({ pool: 'SPACE', acquisition: 'THOMPSON', zeroCost: 'NONE' })).toMatchObject({
        acquisition: 'THOMPSON',
        zeroCost: 'NONE',
        warmup: 1,
        prior: 'NONE',
      });
      expect(parseBananasOptions({}).pool).toBe('MUTATIONS');
      expect(() => parseBananasOptions({ pool: 'ALL' })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', details: expect.objectContaining({ option: 'pool' }) }),
      );
    });

    it('refuses spaces too big to enumerate with INVALID_ARGUMENT naming the option and space', () => {
      for (const space of [nb101Space, dartsSpace] as SearchSpace<unknown>[]) {
        expect(() => new Bananas(strategyContext(space, 0), parseBananasOptions({ pool: 'SPACE' }))).toThrow(
          expect.objectContaining({
            code: 'INVALID_ARGUMENT',
            details: expect.objectContaining({ option: 'pool', space: space.name }),
          }),
        );
      }
    });

    it('never asks twice with 3 workers, replays, and finds the optimum of a smooth objective', async () => {
      const calls = await driveStrategy(bananas(2, { pool: 'SPACE' }), {
        space: nb201Space,
        objective: nb201Score,
        evaluations: 60,
        workers: 3,
      });
      const archs = askedArchs(calls);
      expect(new Set(archs.map((a) => nb201Space.id(a))).size).toBe(60);
      expect(Math.max(...archs.map(nb201Score))).toBe(18.5);
      expect(await replayAsks(bananas(2, { pool: 'SPACE' }), calls, nb201Space)).toEqual(askedIds(calls, nb201Space));
    });

    it('uses only told data: values of cells it never asked cannot change what it asks', async () => {
      const first = await driveStrategy(bananas(5, { pool: 'SPACE' }), {
        space: nb201Space,
        objective: nb201Score,
        evaluations: 40,
        workers: 2,
      });
      const seen = new Set(askedArchs(first).map((a) => nb201Space.id(a)));
      const changed = (arch: Nb201Arch) => (seen.has(nb201Space.id(arch)) ? nb201Score(arch) : 1000 - nb201Score(arch));
      const second = await driveStrategy(bananas(5, { pool: 'SPACE' }), {
        space: nb201Space,
        objective: changed,
        evaluations: 40,
        workers: 2,
      });
      expect(askedIds(second, nb201Space)).toEqual(askedIds(first, nb201Space));
    });
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
