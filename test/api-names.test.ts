import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/store/api-key/create-api-key';
import { resolveMapping } from '../src/store/import';
import { API_FIXTURE, importApiFixtures } from './support/api-fixtures';
import { graphqlRequest } from './support/graphql-request';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';

const CREATE = `mutation($name: String!, $epochs: Int!, $hp: JSONObject, $d: String) {
  createProtocol(name: $name, epochs: $epochs, hyperparameters: $hp, description: $d) { name epochs description } }`;

/** The error code of a failed createProtocol; fails the test on a 5xx. */
function codeOf(reply: { status: number; errors?: Array<{ extensions?: Record<string, unknown> }> }): unknown {
  expect(reply.status).toBeLessThan(500);
  return reply.errors?.[0]?.extensions?.code;
}

describe(`names and texts written through the API (issue 16 defects 6 and 7, ${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  let publisher: string;
  beforeAll(async () => {
    t = await startTestServer({ production: true });
    await importApiFixtures(t.store.dataSource);
    publisher = (await createApiKey(t.store.dataSource.manager, { name: 'publisher', role: 'publisher' })).key;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });
  const create = (variables: Record<string, unknown>) =>
    graphqlRequest(t.url, CREATE, variables, { authorization: `Bearer ${publisher}` });
  const storedNames = async () =>
    ((await t.store.dataSource.query('SELECT name FROM protocol ORDER BY id')) as Array<{ name: string }>).map(
      (r) => r.name,
    );

  it('refuses NUL, control characters and lone surrogates in createProtocol with INVALID_ARGUMENT, writing nothing', async () => {
    const before = await storedNames();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ name: 'a\u0000b', epochs: 3 }, 'name', 'CONTROL_CHARACTER'],
      [{ name: 'tab\there', epochs: 3 }, 'name', 'CONTROL_CHARACTER'],
      [{ name: 'ok-name', epochs: 3, d: 'nul \u0000 inside' }, 'description', 'CONTROL_CHARACTER'],
      [{ name: 'ok-name', epochs: 3, hp: { optimizer: 'sg\u0000d' } }, 'hyperparameters', 'CONTROL_CHARACTER'],
      [{ name: 'ok-name', epochs: 3, hp: { 'k\u0000': 1 } }, 'hyperparameters', 'CONTROL_CHARACTER'],
      [{ name: 'lone\uD800', epochs: 3 }, 'name', 'LONE_SURROGATE'],
      [{ name: 'ok-name', epochs: 3, d: 'x\uDC00' }, 'description', 'LONE_SURROGATE'],
    ];
    for (const [variables, field, reason] of cases) {
      const reply = await create(variables);
      expect(codeOf(reply), JSON.stringify(variables)).toBe('INVALID_ARGUMENT');
      expect(reply.errors![0].extensions).toMatchObject({ field, reason });
    }
    expect(await storedNames()).toEqual(before);
  });

  it('refuses a 1 MB name and a 20 KB description before the database with a stated limit, and a small error', async () => {
    const huge = 'n'.repeat(1_000_000);
    const reply = await create({ name: huge, epochs: 3 });
    expect(codeOf(reply)).toBe('INVALID_ARGUMENT');
    expect(reply.errors![0].extensions).toMatchObject({
      field: 'name',
      reason: 'TOO_LONG',
      max: 200,
      length: 1_000_000,
    });
    expect(JSON.stringify(reply).length).toBeLessThan(2_000);
    const long = await create({ name: 'long-description', epochs: 3, d: 'd'.repeat(20_000) });
    expect(codeOf(long)).toBe('INVALID_ARGUMENT');
    expect(long.errors![0].extensions).toMatchObject({ field: 'description', reason: 'TOO_LONG', max: 10_240 });
    expect(await create({ name: 'n'.repeat(200), epochs: 3 })).toMatchObject({
      status: 200,
      data: { createProtocol: { epochs: 3 } },
    });
  });

  it('stores a name exactly as given or refuses it: surrounding spaces are refused, not trimmed into another name', async () => {
    for (const name of [' padded', 'padded ', '\u00A0padded', '']) {
      const reply = await create({ name, epochs: 4 });
      expect(codeOf(reply), JSON.stringify(name)).toBe('INVALID_ARGUMENT');
      expect(reply.errors![0].extensions?.reason).toBe(name === '' ? 'EMPTY' : 'SURROUNDING_SPACE');
    }
    const name = 'inner space ü ✓ 😀';
    expect((await create({ name, epochs: 4 })).data).toEqual({ createProtocol: { name, epochs: 4, description: '' } });
    const read = await graphqlRequest<{ protocols: Array<{ name: string }> }>(t.url, '{ protocols { name } }');
    expect(read.data!.protocols.map((p) => p.name)).toContain(name);
  });

  it('applies the same rule to API key labels and to protocols declared by import mappings', async () => {
    const manager = t.store.dataSource.manager;
    await expect(createApiKey(manager, { name: ' spaced', role: 'admin' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { reason: 'SURROUNDING_SPACE' },
    });
    await expect(createApiKey(manager, { name: 'nul\u0000', role: 'admin' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { reason: 'CONTROL_CHARACTER' },
    });
    const mapping = (protocols: Record<string, unknown>) => ({
      arch: 'arch',
      accuracyScale: 'percent',
      metrics: { validAcc: 'v' },
      dataset: { value: 'd' },
      protocol: { value: 'p' },
      seedMean: true,
      protocols,
    });
    expect(() => resolveMapping(mapping({ 'p ': { epochs: 2 } }))).toThrow(
      expect.objectContaining({
        code: 'MAPPING_INVALID',
        details: expect.objectContaining({ reason: 'SURROUNDING_SPACE' }),
      }),
    );
    expect(() => resolveMapping(mapping({ p: { epochs: 2, description: 'a\u0000' } }))).toThrow(
      expect.objectContaining({ code: 'MAPPING_INVALID' }),
    );
    expect(() => resolveMapping(mapping({ p: { epochs: 2, hyperparameters: { x: '\uD800' } } }))).toThrow(
      expect.objectContaining({ code: 'MAPPING_INVALID' }),
    );
  });

  it('echoes at most 100 characters of an unknown name in the message and the details', async () => {
    const huge = 'u'.repeat(1_000_000);
    const archs = '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|';
    for (const query of [
      `query($x: String!) { architecture(space: "nb201", arch: "${archs}") { record(dataset: $x) { validAcc } } }`,
      `query($x: String!) { architecture(space: "nb201", arch: "${archs}") { record(dataset: "cifar10-valid", protocol: $x) { validAcc } } }`,
      'query($x: ID!) { top(space: $x, dataset: "cifar10-valid", metric: VALID_ACC, k: 1) { rank } }',
      'query($x: String!) { runs(filter: { protocol: $x }) { totalCount } }',
    ]) {
      const reply = await graphqlRequest(t.url, query, { x: huge });
      expect(reply.status, query).toBeLessThan(500);
      expect(reply.errors?.[0].extensions?.code, query).toMatch(/^UNKNOWN_/);
      expect(JSON.stringify(reply).length, query).toBeLessThan(2_000);
    }
  });

  it('treats an empty name in every runs filter field the same way: INVALID_ARGUMENT', async () => {
    const all = await graphqlRequest<{ runs: { totalCount: number } }>(t.url, '{ runs { totalCount } }');
    expect(all.data!.runs.totalCount).toBeGreaterThan(API_FIXTURE.cells);
    for (const field of ['space', 'dataset', 'protocol', 'arch']) {
      const filter = field === 'arch' ? '{ space: "nb201", arch: "" }' : `{ ${field}: "" }`;
      const reply = await graphqlRequest(t.url, `{ runs(filter: ${filter}) { totalCount } }`);
      expect(reply.status, field).toBeLessThan(500);
      expect(reply.errors?.[0].extensions, field).toMatchObject({
        code: 'INVALID_ARGUMENT',
        field: `filter.${field}`,
        reason: 'EMPTY',
      });
    }
  });

  it('advertises only GET, POST and OPTIONS in a CORS preflight', async () => {
    const response = await fetch(t.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.org', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBeLessThan(300);
    const methods = (response.headers.get('access-control-allow-methods') ?? '').split(',').map((m) => m.trim());
    expect(methods.sort()).toEqual(['GET', 'OPTIONS', 'POST']);
  });
});
