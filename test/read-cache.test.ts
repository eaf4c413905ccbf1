import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store';
import { API_FIXTURE, importApiFixtures } from './support/api-fixtures';
import { graphqlRequest } from './support/graphql-request';
import { nb201Archs } from './support/nb201-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';

const QUERY =
  'query($a: String!) { architecture(space: "nb201", arch: $a) { record(dataset: "cifar10-valid") { validAcc } } }';

/** An APQ GET as Apollo's clients send it: the hash, and the query text only when the server asks for it. */
function apqUrl(base: string, variables: Record<string, unknown>, withQuery: boolean, query = QUERY): string {
  const hash = createHash('sha256').update(query).digest('hex');
  const params = new URLSearchParams({
    variables: JSON.stringify(variables),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }),
  });
  if (withQuery) params.set('query', query);
  return `${base}?${params}`;
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true', ...headers } });
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    cacheControl: response.headers.get('cache-control'),
    text,
  };
}

describe(`ETag and 304 from the store generation (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  const arch = nb201Archs(1)[0];
  beforeAll(async () => {
    t = await startTestServer();
    await importApiFixtures(t.store.dataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The generation bump of a write may reach this process's LISTEN just after the write's commit (PostgreSQL). */
  async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('answers an automatic persisted query with an ETag, then 304 on If-None-Match', async () => {
    const variables = { a: arch };
    const unknown = await get(apqUrl(t.url, variables, false));
    expect(unknown.text).toContain('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.etag).toBeNull();
    expect(unknown.cacheControl).toBe('no-store');

    const first = await get(apqUrl(t.url, variables, true));
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text).data.architecture.record.validAcc).toEqual(expect.any(Number));
    expect(first.etag).toMatch(/^"g\d+-[\w-]{22}"$/);
    expect(first.cacheControl).toBe('public, max-age=0, must-revalidate');

    const hashed = await get(apqUrl(t.url, variables, false));
    expect(hashed.status).toBe(200);
    expect(hashed.text).toBe(first.text);
    expect(hashed.etag).toMatch(/^"g\d+-/);
    const again = await get(apqUrl(t.url, variables, false), { 'if-none-match': hashed.etag! });
    expect(again).toMatchObject({ status: 304, etag: hashed.etag, text: '' });
    const listed = await get(apqUrl(t.url, variables, false), { 'if-none-match': `"other", W/${hashed.etag}` });
    expect(listed.status).toBe(304);
    const weak = await get(apqUrl(t.url, variables, false), { 'if-none-match': `W/${hashed.etag}` });
    expect(weak.status).toBe(304);
    const otherArch = await get(apqUrl(t.url, { a: nb201Archs(2)[1] }, true), { 'if-none-match': hashed.etag! });
    expect(otherArch.status).toBe(200);
    expect(otherArch.etag).not.toBe(hashed.etag);
  });

  it('answers If-None-Match: * with 304 once the query ran and its answer is cacheable, and only then', async () => {
    const url = apqUrl(t.url, { a: arch }, true);
    const tagged = await get(url);
    const any = await get(url, { 'if-none-match': '*' });
    expect(any).toMatchObject({ status: 304, etag: tagged.etag, cacheControl: tagged.cacheControl, text: '' });
    const listed = await get(url, { 'if-none-match': ' * ' });
    expect(listed.status).toBe(304);

    const failing = await get(apqUrl(t.url, { a: '|bogus~0|' }, true), { 'if-none-match': '*' });
    expect(failing.status).toBe(200);
    expect(failing.text).toContain('INVALID_ARCHITECTURE');
    const jobs = await get(apqUrl(t.url, {}, true, '{ jobs(first: 1) { totalCount } }'), { 'if-none-match': '*' });
    expect(jobs.status).toBe(200);
    expect(jobs.etag).toBeNull();
    const withKey = await get(url, { 'if-none-match': '*', authorization: 'Bearer nh_not_a_key' });
    expect(withKey.status).toBe(401);
    // Apollo does not answer HEAD with a 2xx, so no condition may make it a 304 (RFC 9110 13.2.1).
    const head = await fetch(url, { method: 'HEAD', headers: { 'if-none-match': tagged.etag! } });
    expect(head.status).toBeGreaterThanOrEqual(400);
    expect(head.headers.get('etag')).toBeNull();
  });

  it('changes the ETag when another connection writes records, and answers the new data', async () => {
    const url = apqUrl(t.url, { a: arch }, true);
    const before = await get(url);
    expect(before.status).toBe(200);
    // A second store on the same database: another process as far as the server can tell (on PGlite, the same
    // session, since PGlite has one).
    const other: Store = onPostgres ? await openStore({ config: t.database.config }) : t.store;
    try {
      await other.dataSource.query(`UPDATE run SET valid_acc = valid_acc + 1 WHERE seed IS NOT NULL`);
    } finally {
      if (other !== t.store) await other.close();
    }
    const after = await eventually(
      () => get(url, { 'if-none-match': before.etag! }),
      (r) => r.status === 200,
    );
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(before.etag);
    const value = (text: string) => JSON.parse(text).data.architecture.record.validAcc as number;
    expect(value(after.text)).toBeCloseTo(value(before.text) + 1, 9);
    expect((await get(url, { 'if-none-match': after.etag! })).status).toBe(304);
  });

  it('bumps the generation in the transaction of writes to records, the catalog and predictors', async () => {
    const generation = async () =>
      BigInt(
        (
          (await t.store.dataSource.query('SELECT generation FROM store_generation')) as Array<{ generation: string }>
        )[0].generation,
      );
    const writes = [
      `INSERT INTO protocol (name, epochs, hyperparameters, description) VALUES ('gen-test', 5, '{}', '')`,
      `UPDATE predictor SET status = status`,
      `DELETE FROM prediction WHERE false`,
      `UPDATE architecture_external_id SET external_id = external_id WHERE architecture_id < 0`,
    ];
    for (const sql of writes) {
      const before = await generation();
      await t.store.dataSource.query(sql);
      expect({ sql, bumped: (await generation()) > before }).toEqual({ sql, bumped: true });
    }
    const before = await generation();
    await t.store.dataSource
      .transaction(async (manager) => {
        await manager.query(`UPDATE run SET test_acc = 0`);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await generation()).toBe(before);
    const untouched = await graphqlRequest<{ architectures: Array<{ record: { testAcc: number | null } | null }> }>(
      t.url,
      'query($x: [String!]!) { architectures(space: "nb201", archs: $x) { record(dataset: "cifar10-valid") { testAcc } } }',
      { x: nb201Archs(API_FIXTURE.cells) },
    );
    expect(untouched.data!.architectures.some((a) => a.record?.testAcc === 0)).toBe(false);
  });

  it('bumps once per committed writing transaction, at its commit, and never makes two writers wait for each other', async () => {
    const generation = async () =>
      BigInt(
        (
          (await t.store.dataSource.query('SELECT generation FROM store_generation')) as Array<{ generation: string }>
        )[0].generation,
      );
    const before = await generation();
    await t.store.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO protocol (name, epochs, hyperparameters, description) VALUES ('gen-a', 5, '{}', '')`,
      );
      await manager.query(`UPDATE protocol SET description = 'x' WHERE name = 'gen-a'`);
      await manager.query(`UPDATE predictor SET status = status`);
    });
    expect(await generation()).toBe(before + 1n);
    expect(await t.store.dataSource.query('SELECT txid FROM store_generation_touch')).toEqual([]);
    if (!onPostgres) return; // one PGlite session: no second writer to wait
    // A writer that keeps its transaction open (an import's merge, say) while another commits epochs and catalog rows.
    const open = t.store.dataSource.createQueryRunner();
    await open.startTransaction();
    try {
      await open.query(
        `INSERT INTO protocol (name, epochs, hyperparameters, description) VALUES ('gen-b', 5, '{}', '')`,
      );
      const during = await generation();
      await t.store.dataSource.transaction(async (manager) => {
        // Fails with lock_not_available instead of waiting, if it had to wait for the open transaction.
        await manager.query(`SET LOCAL lock_timeout = '3s'`);
        await manager.query(
          `INSERT INTO protocol (name, epochs, hyperparameters, description) VALUES ('gen-c', 5, '{}', '')`,
        );
      });
      expect(await generation()).toBe(during + 1n);
      await open.commitTransaction();
      expect(await generation()).toBe(during + 2n);
    } finally {
      if (open.isTransactionActive) await open.rollbackTransaction();
      await open.release();
    }
  });

  it('never tags authenticated, uncacheable or failed answers, and refuses a malformed If-None-Match', async () => {
    const tagged = await get(apqUrl(t.url, { a: arch }, true));
    const withKey = await get(apqUrl(t.url, { a: arch }, true), {
      authorization: 'Bearer nh_not_a_key',
      'if-none-match': tagged.etag!,
    });
    expect(withKey.status).not.toBe(304);
    expect(withKey.etag).toBeNull();
    const jobs = await get(apqUrl(t.url, {}, true, '{ jobs(first: 1) { totalCount } }'));
    expect(jobs.etag).toBeNull();
    expect(jobs.cacheControl).toBe('no-store');
    const failing = await get(apqUrl(t.url, { a: '|bogus~0|' }, true));
    expect(failing.text).toContain('INVALID_ARCHITECTURE');
    expect(failing.etag).toBeNull();
    const mutation = await get(apqUrl(t.url, {}, true, 'mutation { createProtocol(name: "x", epochs: 1) { name } }'));
    expect(mutation.status).toBe(405);
    expect(mutation.etag).toBeNull();
    const post = await graphqlRequest(t.url, QUERY, { a: arch });
    expect(post.status).toBe(200);

    for (const header of ['g1-abc', '"unterminated', '"a" "b"', 'W/ "x"']) {
      const malformed = await get(apqUrl(t.url, { a: arch }, true), { 'if-none-match': header });
      expect({ header, status: malformed.status }).toEqual({ header, status: 400 });
      expect(JSON.parse(malformed.text).errors[0].extensions).toMatchObject({
        code: 'INVALID_ARGUMENT',
        argument: 'If-None-Match',
      });
    }
  });
});
