import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store';
import { createApiKey, hashApiKey, revokeApiKey } from '../src/store/api-key';
import { startServer } from '../src/server';
import { DEFAULT_LIMITS } from '../src/server/limit/api-limits';
import { spawnNashub } from './support/spawn-nashub';
import { startTestServer, type TestServer } from './support/start-test-server';
import { StatementCounter } from './support/statement-counter';
import { createTestDatabase, onPostgres } from './support/test-database';

type Json = Record<string, any>;

interface Reply {
  status: number;
  data?: Json | null;
  errors?: Array<{ message: string; extensions?: Json }>;
}

/** POSTs a query with an optional `Authorization` header value. */
async function request(
  url: string,
  query: string,
  options: { variables?: Json; authorization?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Reply, 'status'>) };
}

const CREATE = `mutation($name: String!, $epochs: Int!, $hp: JSONObject, $d: String) {
  createProtocol(name: $name, epochs: $epochs, hyperparameters: $hp, description: $d) { name epochs hyperparameters description } }`;
const READ = '{ protocols { name epochs } }';

const codeOf = (reply: Reply) => reply.errors?.[0]?.extensions?.code;

/** Runs `node dist/cli/main.js ARGS` to completion. */
async function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawnNashub(args, env);
  const code = await proc.exited;
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

/** The trainer protocols every database ships with (a migration inserts them), ordered by name. */
const SHIPPED = [
  { name: 'fmnist-c16n5-e50', epochs: 50 },
  { name: 'fmnist-c8n1-e12', epochs: 12 },
];

describe(`API keys and roles over HTTP (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  const statements = new StatementCounter();
  const keys: Record<'publisher' | 'trainer' | 'admin' | 'revoked', string> = {
    publisher: '',
    trainer: '',
    admin: '',
    revoked: '',
  };
  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const create = (variables: Json, authorization?: string) => request(t.url, CREATE, { variables, authorization });
  const storedProtocols = async (): Promise<Array<{ name: string; epochs: number }>> =>
    t.store.dataSource.query('SELECT name, epochs FROM protocol ORDER BY name');

  /** Lookups of keys in the store while `work` runs. */
  const keyLookupsDuring = async (work: () => Promise<void>) =>
    (await statements.during(work)).filter((q) => q.includes('FROM api_key WHERE key_hash')).length;
  /** Whether a read with `key` is refused (UNAUTHENTICATED) before `ms` pass, asking again every 20 ms. */
  const refusedWithin = async (key: string, ms: number): Promise<boolean> => {
    for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(20))
      if (codeOf(await request(t.url, READ, as(key))) === 'UNAUTHENTICATED') return true;
    return false;
  };

  beforeAll(async () => {
    t = await startTestServer({ logger: statements });
    const manager = t.store.dataSource.manager;
    for (const role of ['publisher', 'trainer', 'admin'] as const)
      keys[role] = (await createApiKey(manager, { name: `${role}-key`, role })).key;
    keys.revoked = (await createApiKey(manager, { name: 'old-key', role: 'admin' })).key;
    await revokeApiKey(manager, 'old-key');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves reads without a key, and with a valid key of any role', async () => {
    const anonymous = await request(t.url, READ);
    expect(anonymous).toMatchObject({ status: 200, data: { protocols: SHIPPED } });
    expect(anonymous.errors).toBeUndefined();
    const trainer = await request(t.url, READ, as(keys.trainer));
    expect(trainer.errors).toBeUndefined();
  });

  it('refuses a mutation without a key with UNAUTHENTICATED and writes nothing', async () => {
    const reply = await create({ name: 'anon', epochs: 10 });
    expect(codeOf(reply)).toBe('UNAUTHENTICATED');
    expect(reply.errors![0].extensions).toMatchObject({ requiredRoles: ['publisher'] });
    expect(reply.data).toBeNull();
    expect(await storedProtocols()).toEqual(SHIPPED);
  });

  it('fails any request carrying an unknown, revoked or malformed key with UNAUTHENTICATED (HTTP 401), reads included', async () => {
    const wrong = `nh_${'A'.repeat(43)}`;
    for (const authorization of [`Bearer ${wrong}`, `Bearer ${keys.revoked}`, `Basic ${keys.admin}`, 'Bearer']) {
      for (const reply of [
        await request(t.url, READ, { authorization }),
        await create({ name: 'bad', epochs: 10 }, authorization),
      ]) {
        expect(reply.status, authorization).toBe(401);
        expect(codeOf(reply), authorization).toBe('UNAUTHENTICATED');
        expect(reply.data).toBeUndefined();
      }
    }
    expect(await storedProtocols()).toEqual(SHIPPED);
  });

  it('refuses a trainer key on createProtocol with FORBIDDEN', async () => {
    const reply = await create({ name: 'by-trainer', epochs: 10 }, as(keys.trainer).authorization);
    expect(codeOf(reply)).toBe('FORBIDDEN');
    expect(reply.errors![0].extensions).toMatchObject({ requiredRoles: ['publisher'], role: 'trainer' });
    expect(await storedProtocols()).toEqual(SHIPPED);
  });

  it('createApiKey: an admin key creates a working key once (CONFLICT after), a publisher key is FORBIDDEN', async () => {
    const CREATE_KEY =
      'mutation($name: String!, $role: String!) { createApiKey(name: $name, role: $role) { name role key } }';
    const forbidden = await request(t.url, CREATE_KEY, {
      variables: { name: 'by-publisher', role: 'admin' },
      ...as(keys.publisher),
    });
    expect(codeOf(forbidden)).toBe('FORBIDDEN');
    const created = await request(t.url, CREATE_KEY, {
      variables: { name: 'over-api', role: 'trainer' },
      ...as(keys.admin),
    });
    expect(created.errors).toBeUndefined();
    const made = (created.data as { createApiKey: { name: string; role: string; key: string } }).createApiKey;
    expect(made).toMatchObject({ name: 'over-api', role: 'trainer' });
    expect((await request(t.url, READ, as(made.key))).errors).toBeUndefined();
    const again = await request(t.url, CREATE_KEY, {
      variables: { name: 'over-api', role: 'trainer' },
      ...as(keys.admin),
    });
    expect(codeOf(again)).toBe('CONFLICT');
    const badRole = await request(t.url, CREATE_KEY, {
      variables: { name: 'root-key', role: 'root' },
      ...as(keys.admin),
    });
    expect(codeOf(badRole)).toBe('INVALID_ARGUMENT');
    const stored: Array<{ name: string }> = await t.store.dataSource.query(
      `SELECT name FROM api_key WHERE name IN ('by-publisher', 'over-api', 'root-key')`,
    );
    expect(stored).toEqual([{ name: 'over-api' }]);
  });

  it('creates a protocol with a publisher key and with an admin key', async () => {
    const hp = { optimizer: 'sgd', lr: 0.1, batch: 256, C: 16, N: 5 };
    const byPublisher = await create(
      { name: 'hp=200', epochs: 200, hp, d: 'NB201 full schedule' },
      as(keys.publisher).authorization,
    );
    expect(byPublisher.errors).toBeUndefined();
    expect(byPublisher.data!.createProtocol).toEqual({
      name: 'hp=200',
      epochs: 200,
      hyperparameters: hp,
      description: 'NB201 full schedule',
    });
    const byAdmin = await create({ name: 'hp=12', epochs: 12 }, as(keys.admin).authorization);
    expect(byAdmin.data!.createProtocol).toEqual({ name: 'hp=12', epochs: 12, hyperparameters: {}, description: '' });
    expect((await request(t.url, READ)).data!.protocols).toEqual([
      ...SHIPPED,
      { name: 'hp=12', epochs: 12 },
      { name: 'hp=200', epochs: 200 },
    ]);
  });

  it('returns the stored protocol when created again with the same epochs, and CONFLICT with other epochs', async () => {
    const again = await create({ name: 'hp=200', epochs: 200, hp: { other: true } }, as(keys.admin).authorization);
    expect(again.errors).toBeUndefined();
    expect(again.data!.createProtocol).toMatchObject({
      name: 'hp=200',
      epochs: 200,
      description: 'NB201 full schedule',
    });
    const conflict = await create({ name: 'hp=200', epochs: 100 }, as(keys.publisher).authorization);
    expect(codeOf(conflict)).toBe('CONFLICT');
    expect(conflict.errors![0].extensions).toMatchObject({ storedEpochs: 200, epochs: 100 });
    const badEpochs = await create({ name: 'zero', epochs: 0 }, as(keys.publisher).authorization);
    expect(codeOf(badEpochs)).toBe('INVALID_ARGUMENT');
    expect(await storedProtocols()).toEqual([
      ...SHIPPED,
      { name: 'hp=12', epochs: 12 },
      { name: 'hp=200', epochs: 200 },
    ]);
  });

  it('stops accepting a key once its revocation commits, though the server keeps the keys it checked', async () => {
    const { key } = await createApiKey(t.store.dataSource.manager, { name: 'short-lived', role: 'publisher' });
    expect((await create({ name: 'short', epochs: 1 }, `Bearer ${key}`)).errors).toBeUndefined();
    // Kept after its first use: the next requests do not look it up.
    const lookups = await keyLookupsDuring(async () => {
      for (let i = 0; i < 3; i++)
        expect((await create({ name: 'short', epochs: 1 }, `Bearer ${key}`)).errors).toBeUndefined();
    });
    expect(lookups).toBe(0);
    await revokeApiKey(t.store.dataSource.manager, 'short-lived');
    // The revocation's NOTIFY (sent at its commit) drops the kept keys when it reaches the server: from then on the
    // key is refused. It travels on its own connection, so a request may overtake it; none is served after it.
    expect(await refusedWithin(key, 10_000)).toBe(true);
    expect(codeOf(await create({ name: 'short', epochs: 1 }, `bearer ${key}`))).toBe('UNAUTHENTICATED');
  });

  it('stops accepting a key revoked by hand in SQL, or deleted: every change to a key is NOTIFYed', async () => {
    const manager = t.store.dataSource.manager;
    const revoked = (await createApiKey(manager, { name: 'by-hand', role: 'publisher' })).key;
    const deleted = (await createApiKey(manager, { name: 'deleted', role: 'publisher' })).key;
    for (const key of [revoked, deleted]) expect((await request(t.url, READ, as(key))).errors).toBeUndefined();
    await manager.query(`UPDATE api_key SET revoked_at = now() WHERE name = 'by-hand'`);
    expect(await refusedWithin(revoked, 10_000)).toBe(true);
    await manager.query(`DELETE FROM api_key WHERE name = 'deleted'`);
    expect(await refusedWithin(deleted, 10_000)).toBe(true);
  });

  it('nashub keys: create prints the key once, list never shows it or its hash, bad input is one typed line', async () => {
    const database = await createTestDatabase();
    try {
      const created = await cli(['keys', 'create', '--name', 'ci', '--role', 'admin'], database.env);
      expect(created.code, created.stderr).toBe(0);
      const line = JSON.parse(created.stdout) as Json;
      expect(line).toMatchObject({ name: 'ci', role: 'admin', revoked: null });
      expect(line.key).toMatch(/^nh_[A-Za-z0-9_-]{43}$/);

      const listed = await cli(['keys', 'list'], database.env);
      expect(listed.code, listed.stderr).toBe(0);
      const rows = listed.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Json);
      expect(rows).toEqual([{ name: 'ci', role: 'admin', created: line.created, revoked: null }]);
      expect(listed.stdout).not.toContain(line.key);
      expect(listed.stdout).not.toContain(hashApiKey(line.key));

      for (const [args, code] of [
        [['keys', 'create', '--name', 'x', '--role', 'root'], 'INVALID_ARGUMENT'],
        [['keys', 'create', '--name', 'ci', '--role', 'admin'], 'CONFLICT'],
        [['keys', 'revoke', '--name', 'nobody'], 'NOT_FOUND'],
      ] as const) {
        const failed = await cli([...args], database.env);
        expect(failed.code, args.join(' ')).toBe(2);
        expect(failed.stderr).toBe(`${failed.stderr.split('\n')[0]}\n`);
        expect(failed.stderr).toMatch(new RegExp(`^nashub: ${code}: `));
      }

      // The stored row holds the sha256 only, and the printed key works against a server on that database.
      const store = await openStore({ config: database.config });
      const server = await startServer({
        store,
        port: 0,
        host: '127.0.0.1',
        maxBodyBytes: 1 << 20,
        production: false,
        logger: pino({ level: 'silent' }),
        limits: DEFAULT_LIMITS,
      });
      try {
        const stored: Array<{ key_hash: string }> = await store.dataSource.query('SELECT key_hash FROM api_key');
        expect(stored).toEqual([{ key_hash: hashApiKey(line.key) }]);
        const url = `http://127.0.0.1:${server.port}/graphql`;
        const reply = await request(url, CREATE, {
          variables: { name: 'from-cli', epochs: 3 },
          authorization: `Bearer ${line.key}`,
        });
        expect(reply.errors).toBeUndefined();
        expect(reply.data!.createProtocol).toMatchObject({ name: 'from-cli', epochs: 3 });
      } finally {
        await server.stop();
        await store.close();
      }
    } finally {
      await database.drop();
    }
    // Five CLI processes, three of which open (and the first creates) a database: slow on a busy machine.
  }, 240_000);
});
