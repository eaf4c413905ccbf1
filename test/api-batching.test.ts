import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_FIXTURE, importApiFixtures } from './support/api-fixtures';
import { graphqlRequest } from './support/graphql-request';
import { nb201Archs } from './support/nb201-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { StatementCounter } from './support/statement-counter';
import { onPostgres } from './support/test-database';

const QUERY = `query($x: [String!]!) { architectures(space: "nb201", archs: $x) {
  arch
  record(dataset: "cifar10-valid") { validAcc n }
  seed1: record(dataset: "cifar10-valid", seeds: { mode: SEED, seed: 1 }) { validAcc }
  curve(dataset: "cifar10-valid", protocol: "p3", seed: 1) { validAcc }
  estimate(dataset: "cifar100", metric: TEST_ACC) { value source }
  externalIds { id }
} }`;

describe(`DataLoader batching (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  const counter = new StatementCounter();
  beforeAll(async () => {
    t = await startTestServer({ logger: counter });
    await importApiFixtures(t.store.dataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('issues the same number of SQL statements for 10 and for 1,000 architectures', async () => {
    const all = nb201Archs(1_000);
    const run = async (archs: string[]) => {
      let data: { architectures: Array<{ record: { validAcc: number } | null }> } | undefined;
      const statements = await counter.during(async () => {
        const res = await graphqlRequest<{ architectures: Array<{ record: { validAcc: number } | null }> }>(
          t.url,
          QUERY,
          { x: archs },
        );
        expect(res.errors).toBeUndefined();
        data = res.data;
      });
      return { statements, data: data! };
    };
    await run(all.slice(0, 1)); // the process-wide catalog cache is filled by the first request
    // Measured and unmeasured cells in both, so both ask for records and for the predictor estimates fall back to.
    const small = await run([...all.slice(0, 5), ...all.slice(995)]);
    const large = await run(all);
    expect(large.data.architectures).toHaveLength(1_000);
    expect(large.data.architectures.filter((a) => a.record !== null)).toHaveLength(API_FIXTURE.cells);
    expect(small.statements.length).toBeGreaterThan(0);
    expect(large.statements.length).toBe(small.statements.length);
    expect(large.statements.length).toBeLessThanOrEqual(8);
  });

  it('reads the records of 1,000 architectures, stored or not, in one statement with their architectures', async () => {
    const archs = nb201Archs(1_000);
    const query =
      'query($x: [String!]!) { architectures(space: "nb201", archs: $x) { record(dataset: "cifar10-valid") { validAcc } } }';
    await graphqlRequest(t.url, query, { x: archs.slice(0, 1) }); // the catalog, as above
    let records: Array<{ record: { validAcc: number } | null }> = [];
    const statements = await counter.during(async () => {
      const res = await graphqlRequest<{ architectures: typeof records }>(t.url, query, { x: archs });
      expect(res.errors).toBeUndefined();
      records = res.data!.architectures;
    });
    expect(records.filter((a) => a.record !== null)).toHaveLength(API_FIXTURE.cells);
    expect(statements).toHaveLength(1);
  });

  it('reads the catalog once for 1,000 architectures that name an unknown dataset (issue 16: one request, 1,000 reads)', async () => {
    const archs = nb201Archs(1_000);
    let errors: Array<{ extensions?: Record<string, unknown> }> = [];
    const statements = await counter.during(async () => {
      const res = await graphqlRequest(
        t.url,
        'query($x: [String!]!) { architectures(space: "nb201", archs: $x) { record(dataset: "no-such-dataset") { validAcc } } }',
        { x: archs },
      );
      errors = res.errors ?? [];
    });
    expect(errors).toHaveLength(1_000);
    expect(new Set(errors.map((e) => e.extensions?.code))).toEqual(new Set(['UNKNOWN_DATASET']));
    expect(statements.length).toBeLessThanOrEqual(8);
  });
});
