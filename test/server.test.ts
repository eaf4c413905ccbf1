import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSpaces } from '../src/core';
import { graphqlRequest } from './support/graphql-request';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';

describe(`GraphQL server over HTTP (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ maxBodyBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists the registered search spaces', async () => {
    const res = await graphqlRequest<{ spaces: Array<{ id: string; name: string }> }>(t.url, '{ spaces { id name } }');
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    const expected = listSpaces()
      .map((s) => s.name)
      .sort();
    expect(res.data!.spaces.map((s) => s.id).sort()).toEqual(expected);
    for (const space of res.data!.spaces) expect(space.name.length).toBeGreaterThan(0);
  });

  it('reports the database kind and schema version on /healthz', async () => {
    const res = await fetch(`${t.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.database).toBe(onPostgres ? 'postgres' : 'pglite');
    expect(body.schemaVersion).toMatch(/^InitialSchema\d+$|^\w+\d{13}$/);
  });

  it('refuses a body over the cap with LIMIT_EXCEEDED and keeps serving', async () => {
    const huge = 'x'.repeat(100 * 1024);
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ spaces { id } } # ${huge}` }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: Array<{ extensions: { code: string; limit: string } }> };
    expect(body.errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
    expect(body.errors[0].extensions.limit).toBe('maxBodyBytes');
    const next = await graphqlRequest(t.url, '{ spaces { id } }');
    expect(next.errors).toBeUndefined();
  });

  it('answers malformed JSON with 400 and a GraphQL validation error with its code', async () => {
    const bad = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(bad.status).toBe(400);
    const invalid = await graphqlRequest(t.url, '{ spaces { nope } }');
    expect(invalid.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers unknown paths with 404', async () => {
    const res = await fetch(`${t.baseUrl}/nope`);
    expect(res.status).toBe(404);
  });
});
