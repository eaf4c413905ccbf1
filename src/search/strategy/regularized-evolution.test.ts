import { describe, expect, it } from 'vitest';
import { createRng, nb201Space, nb101Space, dartsSpace, type Nb201Arch, type SearchSpace } from '../../core';
import { askedIds, driveStrategy, replayAsks } from '../../../test/support/strategy-drive';
import { RegularizedEvolution, parseRegularizedEvolutionOptions } from './regularized-evolution';
import type { StrategyContext } from './strategy';

const WEIGHT: Record<string, number> = {
  none: 0,
  avg_pool_3x3: 0.5,
  skip_connect: 1,
  nor_conv_1x1: 2,
  nor_conv_3x3: 3,
};
const score = (arch: Nb201Arch) => arch.reduce((sum, op) => sum + WEIGHT[op], 0);
const FIDELITIES = [{ protocol: 'p', epochs: 1 }];

function context<A>(space: SearchSpace<A>, seed: number): StrategyContext<A> {
  return { space, rng: createRng(seed), fidelities: FIDELITIES, defaultFidelity: 0 };
}

function rea(seed: number, raw: Record<string, unknown> = {}) {
  return new RegularizedEvolution(context(nb201Space, seed), parseRegularizedEvolutionOptions(raw));
}

function editDistance(a: Nb201Arch, b: Nb201Arch): number {
  return a.filter((op, i) => op !== b[i]).length;
}

describe('REGULARIZED_EVOLUTION', () => {
  it('asks P uniform samples, then one-edit mutants of told members, and returns the best observation', async () => {
    const calls = await driveStrategy(rea(1, { population: 10, sampleSize: 3 }), {
      space: nb201Space,
      objective: score,
      evaluations: 200,
      workers: 1,
    });
    const asked = calls.flatMap((c) => (c.kind === 'ask' ? c.answer.map((s) => s.arch) : []));
    expect(asked).toHaveLength(200);
    const told: Nb201Arch[] = [];
    let i = 0;
    for (const call of calls) {
      if (call.kind === 'tell') {
        told.push(...call.observations.map((o) => o.arch));
        continue;
      }
      for (const { arch } of call.answer) {
        // Every child differs in exactly one edge from some member told before it was bred.
        if (i++ >= 10) expect(told.some((member) => editDistance(member, arch) === 1)).toBe(true);
      }
    }
    const strategy = rea(1, { population: 10, sampleSize: 3 });
    await driveStrategy(strategy, { space: nb201Space, objective: score, evaluations: 200, workers: 1 });
    const best = Math.max(...asked.map(score));
    expect(score(strategy.recommend()!)).toBe(best);
    // Selection works: 200 evaluations of evolution beat the best of the 10 random ones.
    expect(best).toBeGreaterThan(Math.max(...asked.slice(0, 10).map(score)));
  });

  it('ages: with P = 1 every child mutates the member told last, even when it is worse', async () => {
    const calls = await driveStrategy(rea(2, { population: 1, sampleSize: 1 }), {
      space: nb201Space,
      objective: score,
      evaluations: 30,
      workers: 1,
    });
    let last: Nb201Arch | null = null;
    for (const call of calls) {
      if (call.kind === 'tell') last = call.observations[0].arch;
      else if (last !== null) expect(editDistance(last, call.answer[0].arch)).toBe(1);
    }
  });

  it('with removal WORST and P = 1 keeps the best member, so every child mutates the best so far', async () => {
    const calls = await driveStrategy(rea(3, { population: 1, sampleSize: 1, removal: 'WORST' }), {
      space: nb201Space,
      objective: score,
      evaluations: 40,
      workers: 1,
    });
    let best: Nb201Arch | null = null;
    for (const call of calls) {
      if (call.kind === 'tell') {
        const arch = call.observations[0].arch;
        if (best === null || score(arch) > score(best)) best = arch;
      } else if (best !== null) expect(editDistance(best, call.answer[0].arch)).toBe(1);
    }
  });

  it('replays: the same asks and tells give the same suggestions, with 3 workers telling out of order', async () => {
    const calls = await driveStrategy(rea(4, { population: 5, crossover: 0.5 }), {
      space: nb201Space,
      objective: score,
      evaluations: 60,
      workers: 3,
    });
    expect(await replayAsks(rea(4, { population: 5, crossover: 0.5 }), calls, nb201Space)).toEqual(
      askedIds(calls, nb201Space),
    );
    expect(await replayAsks(rea(5, { population: 5, crossover: 0.5 }), calls, nb201Space)).not.toEqual(
      askedIds(calls, nb201Space),
    );
  });

  it('waits (asks fewer) while the first P results are still out', async () => {
    const strategy = rea(6, { population: 3 });
    expect(await strategy.ask(5)).toHaveLength(3);
    expect(await strategy.ask(1)).toHaveLength(0);
  });

  it('breeds with crossover on every space (valid, canonical children)', async () => {
    for (const space of [nb201Space, nb101Space, dartsSpace] as SearchSpace<unknown>[]) {
      const strategy = new RegularizedEvolution(
        context(space, 7),
        parseRegularizedEvolutionOptions({ population: 4, crossover: 1 }),
      );
      const calls = await driveStrategy(strategy, {
        space,
        objective: (a) => space.id(a).charCodeAt(0),
        evaluations: 30,
        workers: 2,
      });
      for (const call of calls)
        if (call.kind === 'ask')
          for (const { arch } of call.answer) expect(space.format(space.validate(arch))).toBe(space.format(arch));
    }
  });

  it('refuses bad options with INVALID_ARGUMENT naming the option', () => {
    for (const raw of [
      { population: 0 },
      { sampleSize: 1.5 },
      { removal: 'RANDOM' },
      { crossover: 2 },
      { populaton: 10 },
    ]) {
      expect(() => parseRegularizedEvolutionOptions(raw)).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          details: expect.objectContaining({ option: Object.keys(raw)[0] }),
        }),
      );
    }
  });
});
