import { describe, expect, it } from 'vitest';
import { createRng, dartsSpace, nb101Space, nb201Space, type Nb201Arch, type SearchSpace } from '../../core';
import { askedIds, driveStrategy, replayAsks, type StrategyCall } from '../../../test/support/strategy-drive';
import { EvolutionWithPredictor, parseEvolutionWithPredictorOptions } from './evolution-with-predictor';
import type { StrategyContext } from './strategy';

const WEIGHT: Record<string, number> = {
  none: 0,
  avg_pool_3x3: 0.5,
  skip_connect: 1,
  nor_conv_1x1: 2,
  nor_conv_3x3: 3,
};
/** Additive score with one interaction, so the optimum (18.5) is unique: all nor_conv_3x3. */
const score = (arch: Nb201Arch) => arch.reduce((sum, op) => sum + WEIGHT[op]!, 0) + (arch[0] === arch[5] ? 0.5 : 0);
const FIDELITIES = [{ protocol: 'p', epochs: 1 }];

function context<A>(space: SearchSpace<A>, seed: number): StrategyContext<A> {
  return { space, rng: createRng(seed), fidelities: FIDELITIES, defaultFidelity: 0 };
}

function ewp(seed: number, raw: Record<string, unknown> = {}) {
  return new EvolutionWithPredictor(context(nb201Space, seed), parseEvolutionWithPredictorOptions(raw));
}

const asked = <A>(calls: readonly StrategyCall<A>[]) =>
  calls.flatMap((c) => (c.kind === 'ask' ? c.answer.map((s) => s.arch) : []));

describe('EVOLUTION_WITH_PREDICTOR', () => {
  it('evaluates only the predicted best of each generation: reaches the optimum of a smooth objective', async () => {
    const calls = await driveStrategy(ewp(1), { space: nb201Space, objective: score, evaluations: 100, workers: 1 });
    const archs = asked(calls);
    expect(Math.max(...archs.map(score))).toBe(18.5);
    expect(Math.max(...archs.slice(0, 10).map(score))).toBeLessThan(18.5);
  });

  it('asks one-edit mutants of told members after the initial samples, never one asked before', async () => {
    const calls = await driveStrategy(ewp(2, { initial: 10, select: 3, acquisition: 'MEAN' }), {
      space: nb201Space,
      objective: score,
      evaluations: 120,
      workers: 3,
    });
    const told: Nb201Arch[] = [];
    const ids: string[] = [];
    for (const call of calls) {
      if (call.kind === 'tell') told.push(...call.observations.map((o) => o.arch));
      else
        for (const { arch } of call.answer) {
          if (ids.length >= 10)
            expect(told.some((member) => member.filter((op, i) => op !== arch[i]).length === 1)).toBe(true);
          ids.push(nb201Space.id(arch));
        }
    }
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
  });

  it('replays: the same asks and tells give the same suggestions; another seed differs', async () => {
    const calls = await driveStrategy(ewp(3), { space: nb201Space, objective: score, evaluations: 40, workers: 3 });
    expect(await replayAsks(ewp(3), calls, nb201Space)).toEqual(askedIds(calls, nb201Space));
    expect(await replayAsks(ewp(4), calls, nb201Space)).not.toEqual(askedIds(calls, nb201Space));
  });

  it('uses only told data: values of architectures it never asked cannot change what it asks', async () => {
    const first = await driveStrategy(ewp(5), { space: nb201Space, objective: score, evaluations: 50, workers: 2 });
    const seen = new Set(asked(first).map((a) => nb201Space.id(a)));
    const changed = (arch: Nb201Arch) => (seen.has(nb201Space.id(arch)) ? score(arch) : 1000 - score(arch));
    const second = await driveStrategy(ewp(5), { space: nb201Space, objective: changed, evaluations: 50, workers: 2 });
    expect(askedIds(second, nb201Space)).toEqual(askedIds(first, nb201Space));
  });

  it('runs on nb101 and darts, asking valid distinct architectures', async () => {
    for (const space of [nb101Space, dartsSpace] as SearchSpace<unknown>[]) {
      const strategy = new EvolutionWithPredictor(
        context(space, 7),
        parseEvolutionWithPredictorOptions({ children: 10 }),
      );
      const calls = await driveStrategy(strategy, {
        space,
        objective: (a) => space.id(a).charCodeAt(3),
        evaluations: 25,
        workers: 2,
      });
      const ids = asked(calls).map((a) => space.id(space.validate(a)));
      expect(new Set(ids).size, space.name).toBe(25);
      expect(strategy.recommend(), space.name).not.toBeNull();
    }
  });

  it('refuses bad options with INVALID_ARGUMENT naming the option', () => {
    for (const raw of [
      { initial: 0 },
      { population: 0 },
      { sampleSize: 2.5 },
      { children: 0 },
      { select: -1 },
      { acquisition: 'PI' },
      { encoding: 'graph' },
      { childs: 5 },
    ]) {
      expect(() => parseEvolutionWithPredictorOptions(raw)).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          details: expect.objectContaining({ option: Object.keys(raw)[0] }),
        }),
      );
    }
  });
});
