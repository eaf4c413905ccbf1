import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlRequest } from './support/graphql-request';
import { nb201Archs } from './support/nb201-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';

describe(`API limits and production errors (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ production: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  const stillServes = async () => {
    const res = await graphqlRequest<{ spaces: unknown[] }>(t.url, '{ spaces { id } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.spaces.length).toBeGreaterThan(0);
  };

  it('refuses a 100,000-element list, naming maxArchs', async () => {
    const res = await graphqlRequest(
      t.url,
      'query($x: [String!]!) { architectures(space: "nb201", archs: $x) { id } }',
      { x: Array.from({ length: 100_000 }, () => 'x') },
    );
    expect(res.errors![0].extensions).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: expect.stringMatching(/maxArchs|maxComplexity/),
    });
    expect(res.errors![0].message).toMatch(/maxArchs|maxComplexity/);
    await stillServes();
  });

  it('refuses a 10,001-element list by maxArchs and accepts 10,000', async () => {
    const archs = nb201Archs(10_001);
    const over = await graphqlRequest(
      t.url,
      'query($x: [String!]!) { architectures(space: "nb201", archs: $x) { id } }',
      { x: archs },
    );
    expect(over.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxArchs', max: 10_000 });
    const ok = await graphqlRequest<{ architectures: unknown[] }>(
      t.url,
      'query($x: [String!]!) { architectures(space: "nb201", archs: $x) { id } }',
      { x: archs.slice(0, 10_000) },
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.architectures).toHaveLength(10_000);
  });

  it('refuses a query of depth 50, naming maxDepth', async () => {
    const query = `{ architecture(space: "nb201", index: 0) ${'{ isomorphs '.repeat(49)}{ id }${' }'.repeat(49)} }`;
    const res = await graphqlRequest(t.url, query);
    expect(res.status).toBe(400);
    expect(res.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxDepth' });
    await stillServes();
  });

  it('refuses a 10 MB body with LIMIT_EXCEEDED', async () => {
    const body = JSON.stringify({ query: '{ spaces { id } }', variables: { pad: 'x'.repeat(10 * 1024 * 1024) } });
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    const json = (await res.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(json.errors[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxBodyBytes' });
    await stillServes();
  });

  it('leaks no stack traces in production mode', async () => {
    const bad = await graphqlRequest(t.url, '{ architecture(space: "nb201", arch: "|x~0|") { id } nope }');
    const invalid = await graphqlRequest(t.url, '{ architecture(space: "nb201", arch: "|x~0|") { id } }');
    for (const res of [bad, invalid]) {
      for (const error of res.errors!) expect(error.extensions).not.toHaveProperty('stacktrace');
    }
    expect(invalid.errors![0].extensions!.code).toBe('INVALID_ARCHITECTURE');
  });
});
