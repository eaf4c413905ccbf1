import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nb201Space } from '../src/core';
import { API_FIXTURE, importApiFixtures } from './support/api-fixtures';
import { graphqlRequest } from './support/graphql-request';
import { fakeAcc, nb201Archs } from './support/nb201-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';

type Json = Record<string, any>;

describe(`GraphQL read API over HTTP (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  const archs = nb201Archs(API_FIXTURE.cells);
  const gql = (query: string, variables?: Json) => graphqlRequest<Json>(t.url, query, variables);

  beforeAll(async () => {
    t = await startTestServer({ limits: { maxArchs: 2_000 } });
    await importApiFixtures(t.store.dataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('looks up by text and by NB201 index, canonicalised, with cost and external ids', async () => {
    const res = await gql(
      `query($a: String!) {
      byText: architecture(space: "nb201", arch: $a) { id arch isoClass params flops isStored externalIds { scheme id } }
      byIndex: architecture(space: "nb201", index: 7) { arch }
      missing: architecture(space: "nb201", index: 15000) { arch } }`,
      { a: `  ${archs[7]} ` },
    );
    expect(res.errors).toBeUndefined();
    const parsed = nb201Space.parse(archs[7]);
    expect(res.data!.byText).toMatchObject({
      id: archs[7],
      arch: archs[7],
      isoClass: nb201Space.isoClass(parsed),
      params: nb201Space.cost(parsed).paramsM,
      isStored: true,
      externalIds: [{ scheme: 'nb201-index', id: '7' }],
    });
    expect(res.data!.byIndex.arch).toBe(archs[7]);
    expect(res.data!.missing).toBeNull();
  });

  it('returns MEAN (population std), SEED and reproducible RANDOM records, and null when not measured', async () => {
    const res = await gql(
      `query($a: String!) { architecture(space: "nb201", arch: $a) {
      mean: record(dataset: "cifar10-valid") { validAcc validAccStd n seeds epoch protocol isPublishedMean }
      s2: record(dataset: "cifar10-valid", seeds: { mode: SEED, seed: 2 }) { validAcc seeds }
      s9: record(dataset: "cifar10-valid", seeds: { mode: SEED, seed: 9 }) { validAcc }
      r1: record(dataset: "cifar10-valid", seeds: { mode: RANDOM, clientSeed: 5 }) { validAcc seeds }
      r2: record(dataset: "cifar10-valid", seeds: { mode: RANDOM, clientSeed: 5 }) { validAcc seeds }
      c100: record(dataset: "cifar100") { validAcc testAcc isPublishedMean seeds } } }`,
      { a: archs[3] },
    );
    expect(res.errors).toBeUndefined();
    const a = res.data!.architecture;
    const [x1, x2] = [fakeAcc(3, 1), fakeAcc(3, 2)];
    expect(a.mean).toMatchObject({ n: 2, seeds: [1, 2], epoch: 200, protocol: 'hp=200', isPublishedMean: false });
    expect(a.mean.validAcc).toBeCloseTo((x1 + x2) / 2, 9);
    expect(a.mean.validAccStd).toBeCloseTo(Math.abs(x1 - x2) / 2, 9);
    expect(a.s2).toEqual({ validAcc: x2, seeds: [2] });
    expect(a.s9).toBeNull();
    expect(a.r1).toEqual(a.r2);
    expect([x1, x2]).toContain(a.r1.validAcc);
    expect(a.c100).toEqual({
      validAcc: fakeAcc(3, 9) - 20,
      testAcc: fakeAcc(3, 8) - 20,
      isPublishedMean: true,
      seeds: [],
    });

    const unmeasured = await gql(
      'query($a: String!) { architecture(space: "nb201", arch: $a) { isStored record(dataset: "cifar10-valid") { validAcc } estimate(dataset: "cifar10-valid", metric: VALID_ACC) { source value } } }',
      {
        a: nb201Archs(API_FIXTURE.cells + 80).at(-1),
      },
    );
    expect(unmeasured.data!.architecture).toEqual({
      isStored: false,
      record: null,
      estimate: { source: 'NOT_AVAILABLE', value: null },
    });
  });

  it('reads curves and records at an epoch of a low-fidelity protocol', async () => {
    const res = await gql(
      `query($a: String!) { architecture(space: "nb201", arch: $a) {
      curve(dataset: "cifar10-valid", protocol: "p3", seed: 1) { seed epochs validAcc trainAcc testAcc }
      e2: record(dataset: "cifar10-valid", protocol: "p3", epoch: 2) { validAcc trainAcc epoch }
      estimate(dataset: "cifar10-valid", metric: VALID_ACC, epoch: 2, protocol: "p3") { source value n } } }`,
      { a: archs[1] },
    );
    expect(res.errors).toBeUndefined();
    const a = res.data!.architecture;
    expect(a.curve).toEqual({
      seed: 1,
      epochs: [1, 2, 3],
      validAcc: [11, 21, 31],
      trainAcc: [12, 22, 32],
      testAcc: [null, null, null],
    });
    expect(a.e2).toEqual({ validAcc: 21, trainAcc: 22, epoch: 2 });
    expect(a.estimate).toEqual({ source: 'MEASURED', value: 21, n: 1 });
  });

  it('resolves a batch in order, with a typed error at each invalid index and the rest intact', async () => {
    const input = [archs[0], '|bogus~0|+|none~0|none~1|+|none~0|none~1|none~2|', archs[5], '', archs[9]];
    const res = await gql(
      'query($x: [String!]!) { architectures(space: "nb201", archs: $x) { arch record(dataset: "cifar10-valid") { n } } }',
      { x: input },
    );
    expect(res.data!.architectures.map((a: Json | null) => a?.arch ?? null)).toEqual([
      archs[0],
      null,
      archs[5],
      null,
      archs[9],
    ]);
    expect(res.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([
      [['architectures', 1], 'INVALID_ARCHITECTURE'],
      [['architectures', 3], 'INVALID_ARCHITECTURE'],
    ]);
    expect(res.errors![0].extensions).toMatchObject({ index: 1, reason: 'unknown-op' });
  });

  it('ranks top-k, samples reproducibly, and finds isomorphs', async () => {
    const top = await gql(
      '{ top(space: "nb201", dataset: "cifar10-valid", metric: VALID_ACC, k: 3) { rank architecture { arch } estimate { value n source } } }',
    );
    expect(top.errors).toBeUndefined();
    const means = archs
      .map((a, i) => [a, (fakeAcc(i, 1) + fakeAcc(i, 2)) / 2] as const)
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    expect(top.data!.top.map((e: Json) => e.estimate.value)).toEqual(
      means.slice(0, 3).map((m) => expect.closeTo(m[1], 9)),
    );
    expect(top.data!.top[0]).toMatchObject({ rank: 1, estimate: { n: 2, source: 'MEASURED' } });
    const s1 = await gql('{ sample(space: "nb201", n: 4, seed: 3) { arch } }');
    const s2 = await gql('{ sample(space: "nb201", n: 4, seed: 3) { arch } }');
    expect(s1.data).toEqual(s2.data);
    const iso = await gql(
      '{ architecture(space: "nb201", arch: "|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|") { isoClass isomorphs { arch isoClass } } }',
    );
    for (const other of iso.data!.architecture.isomorphs) expect(other.isoClass).toBe(iso.data!.architecture.isoClass);
  });

  it('pages runs with cursors and totalCount, and refuses forged cursors and negative first', async () => {
    const first = await gql(
      '{ runs(filter: { dataset: "cifar10-valid", protocol: "hp=200" }, first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { node { id seed validAcc architecture { arch } } } } }',
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.runs.totalCount).toBe(API_FIXTURE.cells * 2);
    expect(first.data!.runs.edges).toHaveLength(100);
    const seen = new Set(first.data!.runs.edges.map((e: Json) => e.node.id));
    let after = first.data!.runs.pageInfo.endCursor;
    for (let page = 0; page < 5 && after; page++) {
      const next = await gql(
        'query($a: String) { runs(filter: { dataset: "cifar10-valid", protocol: "hp=200" }, first: 100, after: $a) { pageInfo { hasNextPage endCursor } edges { node { id } } } }',
        { a: after },
      );
      for (const e of next.data!.runs.edges) seen.add(e.node.id);
      after = next.data!.runs.pageInfo.hasNextPage ? next.data!.runs.pageInfo.endCursor : null;
    }
    expect(seen.size).toBe(API_FIXTURE.cells * 2);
    const forged = await gql('{ runs(first: 5, after: "cnVuOjEyMzQ1eA") { totalCount } }');
    expect(forged.errors![0].extensions!.code).toBe('INVALID_ARGUMENT');
    const negative = await gql('{ runs(first: -1) { totalCount } }');
    expect(negative.errors![0].extensions!.code).toBe('INVALID_ARGUMENT');
  });

  it('gives typed errors for unknown spaces, datasets, protocols and bad seed choices', async () => {
    const cases: Array<[string, string]> = [
      ['{ architecture(space: "nb999", arch: "x") { id } }', 'UNKNOWN_SPACE'],
      [
        `{ architecture(space: "nb201", arch: "${archs[0]}") { record(dataset: "imagenet-1k") { validAcc } } }`,
        'UNKNOWN_DATASET',
      ],
      [
        `{ architecture(space: "nb201", arch: "${archs[0]}") { record(dataset: "cifar10-valid", protocol: "hp=7") { validAcc } } }`,
        'UNKNOWN_PROTOCOL',
      ],
      [
        `{ architecture(space: "nb201", arch: "${archs[0]}") { record(dataset: "cifar10-valid", epoch: 201) { validAcc } } }`,
        'INVALID_ARGUMENT',
      ],
      [
        `{ architecture(space: "nb201", arch: "${archs[0]}") { record(dataset: "cifar10-valid", seeds: { mode: SEED }) { validAcc } } }`,
        'INVALID_ARGUMENT',
      ],
      [
        '{ architecture(space: "nb201", arch: "|nor_conv_3x3~3|+|none~0|none~1|+|none~0|none~1|none~2|") { id } }',
        'INVALID_ARCHITECTURE',
      ],
    ];
    for (const [query, code] of cases) {
      const res = await gql(query);
      expect(res.errors?.[0].extensions?.code, query).toBe(code);
    }
  });
});
