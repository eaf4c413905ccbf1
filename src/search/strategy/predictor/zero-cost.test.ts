import { describe, expect, it } from 'vitest';
import { createRng, dartsSpace, nb101Space, nb201Space, type Nb201Arch, type SearchSpace } from '../../../core';
import { askedArchs, strategyContext } from '../../../../test/support/predictor-strategy-cases';
import { askedIds, driveStrategy, replayAsks } from '../../../../test/support/strategy-drive';
import { Bananas, parseBananasOptions } from '../bananas';
import { EvolutionWithPredictor, parseEvolutionWithPredictorOptions } from '../evolution-with-predictor';
import { OptionReader } from '../option-reader';
import { Acquisition } from './acquisition';
import { InRunPredictor, readInRunPredictorOptions } from './in-run-predictor';
import { ZeroCostScore } from './zero-cost';

const flops = new ZeroCostScore(nb201Space, 'FLOPS');
const mean = (values: readonly number[]) => values.reduce((a, v) => a + v, 0) / values.length;

function predictorOptions(raw: Record<string, unknown>) {
  const read = new OptionReader('TEST', raw);
  const options = readInRunPredictorOptions(read, { acquisition: Acquisition.MEAN, encoding: 'onehot' });
  read.done();
  return options;
}

/** Spearman's ρ (no ties expected). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const ranks = (v: readonly number[]) => {
    const r = new Array<number>(v.length);
    v.map((x, i) => [x, i] as const)
      .sort((x, y) => x[0] - y[0])
      .forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const [ra, rb] = [ranks(a), ranks(b)];
  const m = (a.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (ra[i]! - m) * (rb[i]! - m);
    da += (ra[i]! - m) ** 2;
    db += (rb[i]! - m) ** 2;
  }
  return num / Math.sqrt(da * db);
}

describe('zero-cost information in the in-run predictor (zeroCost, warmup, prior)', () => {
  it("scores an architecture by log(1 + flopsM) or log(1 + paramsM) of core's cost, on every space", () => {
    const arch: Nb201Arch = ['nor_conv_3x3', 'nor_conv_3x3', 'nor_conv_3x3', 'skip_connect', 'nor_conv_3x3', 'none'];
    const cost = nb201Space.cost(arch);
    expect(flops.of(arch)).toBeCloseTo(Math.log1p(cost.flopsM), 12);
    expect(new ZeroCostScore(nb201Space, 'PARAMS').of(arch)).toBeCloseTo(Math.log1p(cost.paramsM), 12);
    const allNone: Nb201Arch = ['none', 'none', 'none', 'none', 'none', 'none'];
    expect(flops.of(arch)).toBeGreaterThan(flops.of(allNone));
    for (const space of [nb101Space, dartsSpace] as SearchSpace<unknown>[]) {
      const rng = createRng(3);
      for (const kind of ['FLOPS', 'PARAMS'] as const) {
        const score = new ZeroCostScore(space, kind);
        for (let i = 0; i < 5; i++) expect(Number.isFinite(score.of(space.sample(rng))), space.name).toBe(true);
      }
    }
  });

  it('warm-up: initial asks are the highest-scoring of `warmup` samples, so they score above uniform ones', async () => {
    const initial = async (raw: Record<string, unknown>) => {
      const strategy = new Bananas(strategyContext(nb201Space, 11), parseBananasOptions({ initial: 20, ...raw }));
      return (await strategy.ask(20)).map((s) => s.arch);
    };
    const uniform = await initial({});
    const warm = await initial({ zeroCost: 'FLOPS', warmup: 20 });
    expect(new Set(warm.map((a) => nb201Space.id(a))).size).toBe(20);
    expect(mean(warm.map((a) => flops.of(a)))).toBeGreaterThan(mean(uniform.map((a) => flops.of(a))) + 0.5);
    // Each warm ask beats the median uniform cell's score.
    const sorted = uniform.map((a) => flops.of(a)).sort((a, b) => a - b);
    expect(warm.every((a) => flops.of(a) >= sorted[10]!)).toBe(true);
    // warmup 1 is the plain uniform design, draw for draw.
    expect(await initial({ zeroCost: 'FLOPS', warmup: 1 })).toEqual(uniform);
  });

  it('prior LINEAR: fitted on 12 cells whose value is their score, it ranks unseen cells by score; a plain GP cannot', () => {
    const rng = createRng(5);
    const seen = Array.from({ length: 12 }, () => nb201Space.sample(rng));
    const unseen = Array.from({ length: 200 }, () => nb201Space.sample(rng));
    const fitted = (raw: Record<string, unknown>) => {
      const predictor = new InRunPredictor(nb201Space, predictorOptions({ targets: 'RAW', ...raw }), 'TEST');
      for (const arch of seen) predictor.observe(arch, 3 * flops.of(arch) + 1);
      return predictor.predict(unseen).mean;
    };
    const truth = unseen.map((a) => flops.of(a));
    const withPrior = fitted({ zeroCost: 'FLOPS', prior: 'LINEAR' });
    expect(spearman(Array.from(withPrior), truth)).toBeGreaterThan(0.99);
    // The line is recovered: predictions far from the seen cells are 3·score + 1.
    unseen.forEach((a, i) => expect(withPrior[i]).toBeCloseTo(3 * flops.of(a) + 1, 0));
    expect(spearman(Array.from(fitted({})), truth)).toBeLessThan(0.9);
  });

  it('replays with zero-cost options on both strategies, and both run on nb101 and darts with either score', async () => {
    const raw = (zeroCost: string) => ({ zeroCost, warmup: 8, prior: 'LINEAR' });
    const builders = [
      (space: SearchSpace<unknown>, seed: number, zeroCost: string) =>
        new Bananas(strategyContext(space, seed), parseBananasOptions({ ...raw(zeroCost), samples: 50, parents: 2 })),
      (space: SearchSpace<unknown>, seed: number, zeroCost: string) =>
        new EvolutionWithPredictor(
          strategyContext(space, seed),
          parseEvolutionWithPredictorOptions({ ...raw(zeroCost), children: 10 }),
        ),
    ];
    const nb201 = nb201Space as SearchSpace<unknown>;
    const objective = (a: unknown) => flops.of(a as Nb201Arch) + ((nb201Space.id(a as Nb201Arch).length * 7) % 5);
    for (const build of builders) {
      const calls = await driveStrategy(build(nb201, 3, 'FLOPS'), {
        space: nb201,
        objective,
        evaluations: 30,
        workers: 3,
      });
      expect(await replayAsks(build(nb201, 3, 'FLOPS'), calls, nb201)).toEqual(askedIds(calls, nb201));
      for (const zeroCost of ['FLOPS', 'PARAMS'])
        for (const space of [nb101Space, dartsSpace] as SearchSpace<unknown>[]) {
          const other = await driveStrategy(build(space, 7, zeroCost), {
            space,
            objective: (a) => space.id(a).charCodeAt(3),
            evaluations: 15,
            workers: 2,
          });
          const ids = askedArchs(other).map((a) => space.id(space.validate(a)));
          expect(new Set(ids).size, `${space.name} ${zeroCost}`).toBe(15);
        }
    }
  });

  it('EVOLUTION_WITH_PREDICTOR defaults to the FLOPs score, warm-up 10 and the LINEAR prior; BANANAS to none; zeroCost=NONE turns all off', () => {
    expect(parseEvolutionWithPredictorOptions({})).toMatchObject({ zeroCost: 'FLOPS', warmup: 10, prior: 'LINEAR' });
    expect(parseEvolutionWithPredictorOptions({ zeroCost: 'NONE' })).toMatchObject({
      zeroCost: 'NONE',
      warmup: 1,
      prior: 'NONE',
    });
    expect(parseEvolutionWithPredictorOptions({ zeroCost: 'PARAMS', warmup: 1 })).toMatchObject({
      zeroCost: 'PARAMS',
      warmup: 1,
      prior: 'LINEAR',
    });
    expect(parseBananasOptions({})).toMatchObject({ zeroCost: 'NONE', warmup: 1, prior: 'NONE' });
  });

  it('refuses warmup > 1 or a prior without a zero-cost score, and unknown scores, naming the option', () => {
    for (const [bad, option] of [
      [{ warmup: 5, zeroCost: 'NONE' }, 'warmup'],
      [{ prior: 'LINEAR', zeroCost: 'NONE' }, 'prior'],
      [{ zeroCost: 'SYNFLOW' }, 'zeroCost'],
      [{ zeroCost: 'FLOPS', warmup: 0 }, 'warmup'],
      [{ zeroCost: 'FLOPS', prior: 'QUADRATIC' }, 'prior'],
    ] as const) {
      for (const parse of [parseBananasOptions, parseEvolutionWithPredictorOptions])
        expect(() => parse(bad)).toThrow(
          expect.objectContaining({ code: 'INVALID_ARGUMENT', details: expect.objectContaining({ option }) }),
        );
    }
  });
});
