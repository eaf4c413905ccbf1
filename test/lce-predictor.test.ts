import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtrapolatorService, fitStoredPredictor } from '../src/predictors';
import { importFile, resolveMapping } from '../src/store/import';
import { findPredictor, insertPredictor } from '../src/store/predictor';
import { graphqlRequest } from './support/graphql-request';
import { nb201Archs } from './support/nb201-fixtures';
import { syntheticPopulation } from './support/synthetic-curves';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';

const EPOCHS = 20;

/** A training-accuracy curve for a validation curve: a few points above it, below 100. */
function trainOf(valid: readonly number[]): number[] {
  return valid.map((v, e) => Math.min(99.9, v + 2 + 0.1 * e));
}
const MAPPING = resolveMapping({
  arch: 'arch',
  dataset: { value: 'cifar10-valid' },
  protocol: { value: 'p20' },
  seed: 'seed',
  accuracyScale: 'percent',
  curves: { validAcc: 'valid', trainAcc: 'train' },
  protocols: { p20: { epochs: EPOCHS } },
});

describe(`learning-curve extrapolators in the predictor store (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  let dir: string;
  const archs = nb201Archs(40);
  const curves = syntheticPopulation(40, EPOCHS, 5);
  let lceId: string;

  const gql = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) =>
    graphqlRequest<T>(t.url, query, variables);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-lce-'));
    t = await startTestServer();
    // 36 complete curves to fit on; archs 36..37 stop at epoch 8 (partial runs to forecast); 38..39 have none. The
    // training accuracy runs a few points above the validation accuracy, as it does in NB201.
    const lines = archs.slice(0, 38).map((arch, i) => {
      const valid = i < 36 ? curves[i] : curves[i].slice(0, 8);
      return JSON.stringify({ arch, seed: 1, valid, train: trainOf(valid) });
    });
    writeFileSync(join(dir, 'curves.jsonl'), lines.join('\n'));
    await importFile({
      dataSource: t.store.dataSource,
      space: 'nb201',
      file: join(dir, 'curves.jsonl'),
      mapping: MAPPING,
      replace: false,
    });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fits an LCE predictor from the complete stored curves with held-out forecast metrics', async () => {
    const manager = t.store.dataSource.manager;
    const [{ d, p }] = await manager.query(
      `SELECT (SELECT id FROM dataset WHERE name = 'cifar10-valid') AS d, (SELECT id FROM protocol WHERE name = 'p20') AS p`,
    );
    const row = await insertPredictor(manager, {
      space: 'nb201',
      datasetId: d,
      protocolId: p,
      metric: 'validAcc',
      epoch: null,
      kind: 'LCE',
      hyperparameters: {},
      seed: 0,
      nashubVersion: 'test',
    });
    const result = await fitStoredPredictor({ dataSource: t.store.dataSource, predictorId: row.id });
    lceId = String(row.id);
    expect(result.predictor.status).toBe('READY');
    expect(result.predictor.trainSize).toBe(29);
    expect(result.predictor.metrics!.heldOut).toBe(7);
    expect(result.cachedPredictions).toBe(0);
    // Held out curves forecast from 20% of the schedule: the plateaus of these curves are learnable.
    expect(result.predictor.metrics!.mae).toBeLessThan(10);
    expect(Number.isFinite(result.predictor.metrics!.kendallTau)).toBe(true);
  }, 120_000);

  it('serves extrapolate with the stored model for its target and the final epoch, else the parametric ensemble', async () => {
    const partial = curves[39].slice(0, 6);
    const r = await gql<{
      learned: {
        method: string;
        mean: number;
        q05: number;
        q95: number;
        usedTrainCurve: boolean;
        predictor: { id: string; kind: string };
      };
      withTrain: { method: string; usedTrainCurve: boolean };
      other: { method: string; predictor: null };
      plain: { method: string };
    }>(
      `query($c: [Float!]!, $a: String!, $t: [Float!]!) {
        learned: extrapolate(curve: $c, targetEpoch: ${EPOCHS}, space: "nb201", arch: $a, dataset: "cifar10-valid", protocol: "p20") { method mean q05 q95 usedTrainCurve predictor { id kind } }
        withTrain: extrapolate(curve: $c, trainCurve: $t, targetEpoch: ${EPOCHS}, space: "nb201", arch: $a, dataset: "cifar10-valid", protocol: "p20") { method usedTrainCurve }
        other: extrapolate(curve: $c, targetEpoch: ${EPOCHS + 10}, space: "nb201", dataset: "cifar10-valid", protocol: "p20") { method predictor { id } }
        plain: extrapolate(curve: $c, targetEpoch: ${EPOCHS}) { method }
      }`,
      { c: partial, a: archs[39], t: trainOf(partial) },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.learned.method).toBe('KERNEL_RIDGE_ARCH');
    expect(r.data!.learned.usedTrainCurve).toBe(false);
    expect(r.data!.withTrain).toEqual({ method: 'KERNEL_RIDGE_ARCH', usedTrainCurve: true });
    expect(r.data!.learned.predictor).toEqual({ id: lceId, kind: 'LCE' });
    expect(r.data!.learned.q05).toBeLessThanOrEqual(r.data!.learned.mean);
    expect(r.data!.learned.mean).toBeLessThanOrEqual(r.data!.learned.q95);
    expect(Math.abs(r.data!.learned.mean - curves[39][EPOCHS - 1])).toBeLessThan(15);
    expect(r.data!.other).toEqual({ method: 'PARAMETRIC_ENSEMBLE', predictor: null });
    expect(r.data!.plain.method).toBe('PARAMETRIC_ENSEMBLE');
  });

  it('forecasts stored partial curves in one request (curveForecast), null where nothing is left to forecast', async () => {
    const r = await gql<{
      architectures: Array<{ curveForecast: { method: string; q50: number; usedTrainCurve: boolean } | null }>;
    }>(
      `query($a: [String!]!) { architectures(space: "nb201", archs: $a) { curveForecast(dataset: "cifar10-valid", protocol: "p20") { method q50 usedTrainCurve } } }`,
      { a: [archs[36], archs[37], archs[0], archs[39]] },
    );
    expect(r.errors).toBeUndefined();
    const f = r.data!.architectures.map((a) => a.curveForecast);
    expect(f[0]!.method).toBe('KERNEL_RIDGE_ARCH');
    expect(f[0]!.usedTrainCurve).toBe(true);
    expect(f[1]!.method).toBe('KERNEL_RIDGE_ARCH');
    expect(f[2]).toBeNull(); // complete curve: already at the target epoch
    expect(f[3]).toBeNull(); // no curve stored
  });

  it('keeps extrapolators out of architecture predictions and refuses bad forecast arguments with typed codes', async () => {
    const r = await gql(
      `query($a: String!) { architecture(space: "nb201", arch: $a) { prediction(dataset: "cifar10-valid", protocol: "p20", metric: VALID_ACC, kind: LCE) { mean } } }`,
      { a: archs[39] },
    );
    expect(r.errors?.[0].extensions?.code).toBe('INVALID_ARGUMENT');
    const none = await gql<{ architecture: { prediction: null } }>(
      `query($a: String!) { architecture(space: "nb201", arch: $a) { prediction(dataset: "cifar10-valid", protocol: "p20", metric: VALID_ACC) { mean } } }`,
      { a: archs[39] },
    );
    expect(none.errors).toBeUndefined();
    expect(none.data!.architecture.prediction).toBeNull();
    const noSpace = await gql(`{ extrapolate(curve: [10, 20], targetEpoch: 20, arch: "x") { method } }`);
    expect(noSpace.errors?.[0].extensions?.code).toBe('INVALID_ARGUMENT');
    const badArch = await gql(
      `{ extrapolate(curve: [10, 20], targetEpoch: 20, space: "nb201", arch: "|bogus~0|") { method } }`,
    );
    expect(badArch.errors?.[0].extensions?.code).toBe('INVALID_ARCHITECTURE');
    const badTrain = await gql(
      `{ extrapolate(curve: [10, 20], trainCurve: [12], targetEpoch: 20, space: "nb201", dataset: "cifar10-valid", protocol: "p20") { method } }`,
    );
    expect(badTrain.errors?.[0].extensions?.code).toBe('INVALID_CURVE');
    const badDataset = await gql(
      `{ extrapolate(curve: [10, 20], targetEpoch: 20, space: "nb201", dataset: "imagenet") { method } }`,
    );
    expect(badDataset.errors?.[0].extensions?.code).toBe('UNKNOWN_DATASET');
  });

  it('marks an LCE version with unloadable weights FAILED and answers FILE_INVALID', async () => {
    const manager = t.store.dataSource.manager;
    await manager.query(`UPDATE predictor SET weights = '\\x7b7d'::bytea WHERE id = $1`, [Number(lceId)]);
    // The running server keeps the model it loaded; a new service (a new process) loads the weights again.
    const service = new ExtrapolatorService(t.store.dataSource);
    await expect(service.model((await findPredictor(manager, Number(lceId)))!)).rejects.toMatchObject({
      code: 'FILE_INVALID',
    });
    expect((await findPredictor(manager, Number(lceId)))!.status).toBe('FAILED');
  });
});
