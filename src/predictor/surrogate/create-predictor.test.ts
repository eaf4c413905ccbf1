import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, ErrorCode, getSpace, type NashubError } from '../../core';
import { selectBackend } from '../backend/select-backend';
import { kendallTau } from '../metric/kendall-tau';
import { createPredictor } from './create-predictor';
import { unlabelledArchitectures } from './unlabelled-architectures';
import type { NetworkPredictor } from './network-predictor';
import type { Predictor } from './predictor';

const nb201 = getSpace('nb201');
const OP_VALUE: Record<string, number> = {
  none: 0,
  skip_connect: 1,
  nor_conv_1x1: 2,
  nor_conv_3x3: 3,
  avg_pool_3x3: 0.5,
};

/** A synthetic target: a weighted op count, with convolutions on the last edges worth more. */
function syntheticTarget(arch: unknown): number {
  return (arch as string[]).reduce((s, op, edge) => s + OP_VALUE[op]! * (1 + edge / 6), 0);
}

function sampleArchs(count: number, seed: number): unknown[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => nb201.sample(rng));
}

const train = sampleArchs(120, 1);
const held = sampleArchs(300, 2);
const batch = { space: 'nb201', archs: train };
const targets = train.map(syntheticTarget);

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return (error as NashubError).code;
  }
  return undefined;
}

async function roundTrip(predictor: Predictor, twin: Predictor): Promise<void> {
  let saved: tf.io.ModelArtifacts | undefined;
  await predictor.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  await twin.load(tf.io.fromMemory(saved!));
  const archs = { space: 'nb201', archs: held };
  const [mine, theirs] = [predictor.predict(archs), twin.predict(archs)];
  expect(Array.from(theirs.mean)).toEqual(Array.from(mine.mean));
  expect(Array.from(theirs.std)).toEqual(Array.from(mine.std));
}

describe('surrogate predictors', () => {
  beforeAll(async () => {
    await selectBackend();
  });

  it('MLP ranks a synthetic target it was fitted on, reproducibly for a seed, and survives save/load', async () => {
    const a = createPredictor({ kind: 'MLP', space: nb201, encoding: 'onehot', steps: 200 });
    const b = createPredictor({ kind: 'MLP', space: nb201, encoding: 'onehot', steps: 200 });
    await a.fit(batch, targets, { seed: 3 });
    await b.fit(batch, targets, { seed: 3 });
    const predicted = a.predict({ space: 'nb201', archs: held });
    expect(kendallTau(Array.from(predicted.mean), held.map(syntheticTarget))).toBeGreaterThan(0.8);
    expect(Array.from(b.predict({ space: 'nb201', archs: held }).mean)).toEqual(Array.from(predicted.mean));
    const twin = createPredictor({ kind: 'MLP', space: nb201, encoding: 'onehot' });
    await roundTrip(a, twin);
    [a, b, twin].forEach((p) => p.dispose());
  });

  it('is reproducible for seed 0 too (tfjs reads a 0 seed as "no seed")', async () => {
    const fits = await Promise.all(
      [0, 0].map(async () => {
        const p = createPredictor({ kind: 'MLP', space: nb201, encoding: 'onehot', steps: 50 });
        await p.fit(batch, targets, { seed: 0 });
        const mean = Array.from(p.predict({ space: 'nb201', archs: held }).mean);
        p.dispose();
        return mean;
      }),
    );
    expect(fits[1]).toEqual(fits[0]);
  });

  it('fitStages with one stage is fit, and a pre-training stage before it changes the start', async () => {
    const make = () => createPredictor({ kind: 'MLP', space: nb201, steps: 50 }) as NetworkPredictor;
    const [a, b, c] = [make(), make(), make()];
    await a.fit(batch, targets, { seed: 4 });
    b.fitStages([{ archs: train, targets, steps: 50 }], 4);
    const proxy = held.map((arch) => nb201.cost(arch).paramsM);
    c.fitStages(
      [
        { archs: held, targets: proxy, steps: 20 },
        { archs: train, targets, steps: 50 },
      ],
      4,
    );
    const archs = { space: 'nb201', archs: held };
    expect(Array.from(b.predict(archs).mean)).toEqual(Array.from(a.predict(archs).mean));
    expect(Array.from(c.predict(archs).mean)).not.toEqual(Array.from(a.predict(archs).mean));
    [a, b, c].forEach((p) => p.dispose());
  });

  it('GNN and LINEAR fit the synthetic target and survive save/load', async () => {
    for (const kind of ['GNN', 'LINEAR']) {
      const p = createPredictor({ kind, space: nb201, steps: 100 });
      await p.fit(batch, targets, { seed: 0 });
      expect(
        kendallTau(Array.from(p.predict({ space: 'nb201', archs: held }).mean), held.map(syntheticTarget)),
      ).toBeGreaterThan(0.6);
      const twin = createPredictor({ kind, space: nb201 });
      await roundTrip(p, twin);
      p.dispose();
      twin.dispose();
    }
  });

  it('ENSEMBLE (all records, or folds with the combined or scaled std) gives a finite, positive std and survives save/load', async () => {
    for (const tuning of [
      {},
      { resample: 'folds', uncertainty: 'combined' },
      { resample: 'folds', uncertainty: 'scaled' },
    ] as const) {
      const e = createPredictor({
        kind: 'ENSEMBLE',
        space: nb201,
        members: 3,
        steps: 200,
        encoding: 'onehot',
        ...tuning,
      });
      await e.fit(batch, targets, { seed: 0 });
      const { mean, std } = e.predict({ space: 'nb201', archs: held });
      expect(kendallTau(Array.from(mean), held.map(syntheticTarget))).toBeGreaterThan(0.6);
      expect(std.every((s) => Number.isFinite(s) && s >= 0)).toBe(true);
      expect(std.reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
      const twin = createPredictor({ kind: 'ENSEMBLE', space: nb201, members: 3, encoding: 'onehot', ...tuning });
      await roundTrip(e, twin);
      e.dispose();
      twin.dispose();
    }
  });

  it('SEMI fits on labelled plus unlabelled architectures, ranks the target, survives save/load, and asks for its unlabelled data', async () => {
    const options = {
      kind: 'SEMI',
      space: nb201,
      members: 2,
      steps: 60,
      unlabelled: 400,
      pseudoPerLabelled: 2,
      pretrainSteps: 40,
    } as const;
    const semi = createPredictor(options);
    expect(semi.dataNeeds.unlabelled).toBe(400);
    expect(await codeOf(semi.fit(batch, targets, { seed: 0 }))).toBe(ErrorCode.INVALID_ARGUMENT);
    const unlabelled = unlabelledArchitectures({ space: nb201, count: semi.dataNeeds.unlabelled, seed: 0 });
    expect(
      await semi.fit(
        batch,
        targets.map((y, i) => (i === 0 ? Number.NaN : y)),
        { seed: 0, unlabelled },
      ),
    ).toEqual({ used: train.length - 1, skipped: 1 });
    const predicted = semi.predict({ space: 'nb201', archs: held });
    expect(kendallTau(Array.from(predicted.mean), held.map(syntheticTarget))).toBeGreaterThan(0.5);
    expect(predicted.std.every((s) => Number.isFinite(s) && s > 0)).toBe(true);
    const twin = createPredictor(options);
    await roundTrip(semi, twin);
    const darts = getSpace('darts');
    expect(
      await codeOf(
        twin.fit(batch, targets, { seed: 0, unlabelled: unlabelledArchitectures({ space: darts, count: 5, seed: 0 }) }),
      ),
    ).toBe(ErrorCode.INVALID_ARGUMENT);
    semi.dispose();
    twin.dispose();
  });

  it('ENSEMBLE and SEMI skip non-finite targets and refuse fewer than 10 finite ones with a typed error', async () => {
    const unlabelled = unlabelledArchitectures({ space: nb201, count: 50, seed: 0 });
    for (const kind of ['ENSEMBLE', 'SEMI']) {
      const p = createPredictor({ kind, space: nb201, members: 2, steps: 5, unlabelled: 50 });
      const few = { space: 'nb201', archs: train.slice(0, 11) };
      const error = await p
        .fit(
          few,
          targets.slice(0, 11).map((y, i) => (i < 2 ? Number.NaN : y)),
          { seed: 0, unlabelled },
        )
        .catch((e: unknown) => e);
      expect((error as NashubError).code).toBe(ErrorCode.INVALID_ARGUMENT);
      expect((error as NashubError).details).toMatchObject({ minRecords: 10, records: 9, skipped: 2 });
      expect(
        await p.fit(
          { space: 'nb201', archs: train.slice(0, 12) },
          targets.slice(0, 12).map((y, i) => (i < 2 ? Number.NaN : y)),
          { seed: 0, unlabelled },
        ),
      ).toEqual({
        used: 10,
        skipped: 2,
      });
      p.dispose();
    }
  });

  it('skips non-finite targets and refuses fewer than 10 records', async () => {
    const p = createPredictor({ kind: 'LINEAR', space: nb201 });
    const withNaN = targets.map((y, i) => (i < 5 ? Number.NaN : y));
    expect(await p.fit(batch, withNaN, { seed: 0 })).toEqual({ used: train.length - 5, skipped: 5 });
    const few = { space: 'nb201', archs: train.slice(0, 12) };
    expect(
      await codeOf(
        p.fit(
          few,
          targets.slice(0, 12).map((y, i) => (i < 3 ? Number.NaN : y)),
          { seed: 0 },
        ),
      ),
    ).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(
      await codeOf(
        createPredictor({ kind: 'MLP', space: nb201 }).fit(
          { space: 'nb201', archs: train.slice(0, 9) },
          targets.slice(0, 9),
          { seed: 0 },
        ),
      ),
    ).toBe(ErrorCode.INVALID_ARGUMENT);
  });

  it('ENSEMBLE and SEMI (self-training, proxy pre-training, auto-encoder) run on NB101 (path encoding) and DARTS (one-hot: it has no path encoding) with sampled unlabelled architectures', async () => {
    for (const name of ['nb101', 'darts']) {
      const space = getSpace(name);
      const rng = createRng(5);
      const archs = Array.from({ length: 40 }, () => space.sample(rng));
      const y = archs.map((a) => Math.log1p(space.cost(a).flopsM));
      for (const kind of ['ENSEMBLE', 'SEMI']) {
        const p = createPredictor({
          kind,
          space,
          members: 2,
          steps: 30,
          unlabelled: 60,
          pseudoPerLabelled: 1,
          pretrainSteps: 10,
          autoencoderSteps: 10,
        });
        const unlabelled = unlabelledArchitectures({ space, count: 60, seed: 0 });
        expect(await p.fit({ space: name, archs }, y, { seed: 0, unlabelled })).toEqual({ used: 40, skipped: 0 });
        const predicted = p.predict({ space: name, archs: unlabelled.archs });
        expect(predicted.mean).toHaveLength(60);
        expect(p.predict({ space: name, archs: [] }).mean).toHaveLength(0);
        expect(predicted.mean.every(Number.isFinite)).toBe(true);
        expect(predicted.std.every(Number.isFinite)).toBe(true);
        p.dispose();
      }
    }
  });

  it('refuses architectures of another space and unknown kinds', async () => {
    const p = createPredictor({ kind: 'LINEAR', space: nb201 });
    await p.fit(batch, targets, { seed: 0 });
    const darts = getSpace('darts');
    expect(await codeOf(() => p.predict({ space: 'darts', archs: [darts.sample(createRng(0))] }))).toBe(
      ErrorCode.INVALID_ARGUMENT,
    );
    expect(await codeOf(() => createPredictor({ kind: 'FOREST', space: nb201 }))).toBe(ErrorCode.INVALID_ARGUMENT);
  });
});
