import { describe, expect, it } from 'vitest';
import { nb201Space, type Nb201Arch } from '../../core';
import { nb201Score, predictorStrategyCases, strategyContext } from '../../../test/support/predictor-strategy-cases';
import { askedIds, driveStrategy, replayAsks } from '../../../test/support/strategy-drive';
import { EvolutionWithPredictor, parseEvolutionWithPredictorOptions } from './evolution-with-predictor';

function ewp(seed: number, raw: Record<string, unknown> = {}) {
  return new EvolutionWithPredictor(strategyContext(nb201Space, seed), parseEvolutionWithPredictorOptions(raw));
}

describe('EVOLUTION_WITH_PREDICTOR', () => {
  it('asks one-edit mutants of told members after the initial samples, never one asked before', async () => {
    const calls = await driveStrategy(ewp(2, { initial: 10, select: 3, acquisition: 'MEAN' }), {
      space: nb201Space,
      objective: nb201Score,
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
    const calls = await driveStrategy(ewp(3), {
      space: nb201Space,
      objective: nb201Score,
      evaluations: 40,
      workers: 3,
    });
    expect(await replayAsks(ewp(3), calls, nb201Space)).toEqual(askedIds(calls, nb201Space));
    expect(await replayAsks(ewp(4), calls, nb201Space)).not.toEqual(askedIds(calls, nb201Space));
  });

  predictorStrategyCases({
    onNb201: (seed, raw) => ewp(seed, raw),
    onSpace: (space, seed) =>
      new EvolutionWithPredictor(strategyContext(space, seed), parseEvolutionWithPredictorOptions({ children: 10 })),
    optimumWithin: 100,
    parse: parseEvolutionWithPredictorOptions,
    badOptions: [
      { initial: 0 },
      { population: 0 },
      { sampleSize: 2.5 },
      { children: 0 },
      { select: -1 },
      { acquisition: 'PI' },
      { encoding: 'graph' },
      { childs: 5 },
    ],
  });
});
