import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nb101Cost, nb101Space } from '../src/core';
import { createProtocol } from '../src/store/catalog/catalog';
import { C1, C3, INCEPTION, MP } from './support/nb101-cells';
import { onPostgres } from './support/test-database';
import { FASHION_MNIST_DIR as DATASETS, startTrainingFixture, type TrainingFixture } from './support/training-fixture';
import { datasetsPresent } from './support/datasets-present';
import { tinyHyperparameters } from './support/tiny-protocol';

/**
 * The cell as a client might send it: vertex 4 reaches no output, so it is pruned away. The stored architecture is the
 * pruned cell ({@link PRUNED}), and a run of either spelling is a run of that row.
 */
const REQUESTED = JSON.stringify({
  matrix: [
    [0, 1, 0, 1, 1, 1],
    [0, 0, 1, 0, 0, 1],
    [0, 0, 0, 1, 0, 0],
    [0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
  ],
  ops: ['input', C3, MP, C1, C3, 'output'],
});
const PRUNED = JSON.stringify({
  matrix: [
    [0, 1, 0, 1, 1],
    [0, 0, 1, 0, 1],
    [0, 0, 0, 1, 0],
    [0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0],
  ],
  ops: ['input', C3, MP, C1, 'output'],
});

/** Trains in seconds on wasm: NB101 with 4 stem channels, 1 cell per stack, 200 training images, 1 epoch. */
const TINY = {
  name: 'fmnist-nb101-tiny-e1',
  epochs: 1,
  description: 'a test protocol',
  hyperparameters: tinyHyperparameters(),
};

/** requestTraining of an nb101 cell → the trainer builds and trains its NB101 network → the record is MEASURED. */
describe.skipIf(!datasetsPresent(DATASETS))(
  `from requestTraining of an nb101 cell to a measured record (${onPostgres ? 'postgres' : 'pglite'})`,
  () => {
    let f: TrainingFixture;
    const gql: TrainingFixture['gql'] = (query, variables, auth) => f.gql(query, variables, auth);
    const RECORD = `query($a: String!) { architecture(space: "nb101", arch: $a) {
      id arch
      estimate(dataset: "fashion-mnist", protocol: "${TINY.name}", metric: VALID_ACC) { source value }
      curve(dataset: "fashion-mnist", protocol: "${TINY.name}", seed: 0) { validAcc trainAcc }
    } }`;
    const REQUEST = `mutation($a: String!) { requestTraining(space: "nb101", archs: [$a], dataset: "fashion-mnist", protocol: "${TINY.name}", seeds: [0]) {
      isNew seed architecture { id arch } job { id status totalEpochs } run { id } } }`;

    beforeAll(async () => {
      f = await startTrainingFixture([TINY]);
    }, 120_000);

    afterAll(async () => {
      await f?.close();
    });

    it('trains the requested nb101 cell and then serves its record as MEASURED, on the pruned architecture row', async () => {
      const requested = await gql(REQUEST, { a: REQUESTED }, true);
      expect(requested.errors).toBeUndefined();
      const [entry] = requested.data!.requestTraining;
      expect(entry).toMatchObject({
        isNew: true,
        seed: 0,
        architecture: { arch: PRUNED },
        job: { status: 'QUEUED', totalEpochs: 1 },
        run: null,
      });

      f.pool.start();
      const job = await f.waitForJob<{
        status: string;
        epochsDone: number;
        error: string | null;
        run: { id: string } | null;
      }>(entry.job.id, 'epochsDone error run { id }');
      expect(job).toMatchObject({ status: 'COMPLETED', epochsDone: 1, error: null });

      const after = await gql(RECORD, { a: PRUNED });
      expect(after.errors).toBeUndefined();
      const { id, estimate, curve } = after.data!.architecture;
      expect(id).toBe(entry.architecture.id);
      expect(estimate.source).toBe('MEASURED');
      expect(curve.validAcc).toHaveLength(1);
      expect(estimate.value).toBeCloseTo(curve.validAcc[0], 6);
      expect(curve.trainAcc.every((v: number) => v > 0 && v <= 100)).toBe(true);

      // The run is a TRAINED record of the nb101 row keyed by NAS-Bench-101's module hash.
      const pruned = nb101Space.parse(PRUNED);
      const [run] = await f.t.store.dataSource.query(
        `SELECT a.space, a.hash, a.arch, a.params_m, r.status, r.source FROM run r JOIN architecture a ON a.id = r.architecture_id WHERE r.id = $1`,
        [Number(job!.run!.id)],
      );
      expect(run).toMatchObject({
        space: 'nb101',
        hash: nb101Space.id(pruned),
        arch: PRUNED,
        status: 'COMPLETE',
        source: 'TRAINED',
      });
      expect(run.params_m).toBeCloseTo(nb101Cost(pruned).paramsM, 9);

      const again = await gql(REQUEST, { a: PRUNED }, true);
      expect(again.errors).toBeUndefined();
      expect(again.data!.requestTraining[0]).toMatchObject({ isNew: false, job: null, run: { id: job!.run!.id } });
    }, 300_000);

    it('refuses, before anything is written, a cell whose output concatenates more vertices than the protocol has channels', async () => {
      // The Inception-like cell's output concatenates four vertices; a protocol with C = 3 cannot split 3 channels among them.
      const narrow = { ...TINY, name: 'fmnist-nb101-narrow-e1', hyperparameters: { ...TINY.hyperparameters, C: 3 } };
      await createProtocol(f.t.store.dataSource.manager, narrow);
      const count = async (table: string): Promise<number> =>
        (await f.t.store.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
      const before = { jobs: await count('training_job'), architectures: await count('architecture') };
      const refused = await gql(
        `mutation($a: [String!]!) { requestTraining(space: "nb101", archs: $a, dataset: "fashion-mnist", protocol: "${narrow.name}") { isNew } }`,
        { a: [PRUNED, JSON.stringify(INCEPTION)] },
        true,
      );
      expect(refused.data).toBeNull();
      expect(refused.errors![0].extensions).toMatchObject({
        code: 'INVALID_ARGUMENT',
        argument: 'archs',
        index: 1,
        protocol: narrow.name,
      });
      expect(refused.errors![0].message).toMatch(
        /^archs\[1\]: protocol fmnist-nb101-narrow-e1 \(C=3\) is too narrow for this cell: 3 channels cannot be split among 4 vertices/,
      );
      expect({ jobs: await count('training_job'), architectures: await count('architecture') }).toEqual(before);
    });
  },
);
