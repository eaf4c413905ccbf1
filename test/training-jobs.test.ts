import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED } from '../src/migrations/1764460800000-shipped-protocols';
import { createApiKey } from '../src/store/api-key';
import { SHIPPED_PROTOCOLS } from '../src/trainer/protocol/shipped-protocols';
import { nb201Archs } from './support/nb201-fixtures';
import { startTestServer, type TestServer } from './support/start-test-server';
import { onPostgres } from './support/test-database';

type Json = Record<string, any>;

interface Reply {
  status: number;
  data?: Json | null;
  errors?: Array<{ message: string; extensions?: Json }>;
}

async function request(url: string, query: string, variables?: Json, key?: string): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, ...((await response.json()) as Omit<Reply, 'status'>) };
}

const codeOf = (reply: Reply) => reply.errors?.[0]?.extensions?.code;

const REQUEST = `mutation($space: ID!, $archs: [String!]!, $dataset: String!, $protocol: String!, $seeds: [Int!], $priority: Int) {
  requestTraining(space: $space, archs: $archs, dataset: $dataset, protocol: $protocol, seeds: $seeds, priority: $priority) {
    architecture { id arch } seed isNew
    job { id status epochsDone totalEpochs priority dataset protocol seed requestedBy }
    run { id status source validAcc }
  } }`;
const JOB = `query($id: ID!) { job(id: $id) { id status epoch epochsDone totalEpochs etaSeconds meanEpochSeconds attempts backend device error
  hasCheckpoint architecture { arch } curve { epochs validAcc } run { id status } createdAt } }`;
const JOBS = `query($filter: JobFilter, $first: Int, $after: String) { jobs(filter: $filter, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status seed architecture { arch } } } } }`;
const CANCEL = 'mutation($id: ID!) { cancelJob(id: $id) { id status finishedAt } }';

describe('shipped trainer protocols', () => {
  it('the migration inserts exactly the trainer constants', () => {
    expect(JSON.parse(JSON.stringify(SHIPPED))).toEqual(JSON.parse(JSON.stringify(SHIPPED_PROTOCOLS)));
  });
});

describe(`training jobs over HTTP (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let t: TestServer;
  const keys = { trainer: '', publisher: '', admin: '' };
  const archs = nb201Archs(12);
  const base = { space: 'nb201', dataset: 'fashion-mnist', protocol: 'fmnist-c8n1-e12' };
  const train = (variables: Json, key = keys.trainer) => request(t.url, REQUEST, { ...base, ...variables }, key);
  const count = async (sql: string) => Number((await t.store.dataSource.query(sql))[0].n);

  beforeAll(async () => {
    t = await startTestServer({ limits: { maxArchs: 6, maxPage: 50 } });
    const manager = t.store.dataSource.manager;
    for (const role of ['trainer', 'publisher', 'admin'] as const)
      keys[role] = (await createApiKey(manager, { name: `${role}-key`, role })).key;
    await manager.query(`INSERT INTO dataset (name, num_classes) VALUES ('cifar10', 10)`);
    await manager.query(`INSERT INTO protocol (name, epochs, hyperparameters) VALUES ('hp=200', 200, '{}')`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores the shipped protocols as the trainer defines them', async () => {
    const rows: Json[] = await t.store.dataSource.query(
      `SELECT name, epochs, hyperparameters, description FROM protocol WHERE name LIKE 'fmnist-%' ORDER BY name`,
    );
    expect(rows).toEqual([...SHIPPED_PROTOCOLS].sort((a, b) => a.name.localeCompare(b.name)).map((p) => ({ ...p })));
  });

  it('queues one job per (architecture, seed) with its pg-boss job, and returns the same jobs when asked again', async () => {
    const first = await train({ archs: archs.slice(0, 2), seeds: [0, 1], priority: 3 });
    expect(first.errors).toBeUndefined();
    const entries = first.data!.requestTraining as Json[];
    expect(entries.map((e) => [e.architecture.arch, e.seed, e.isNew, e.job.status, e.run])).toEqual([
      [archs[0], 0, true, 'QUEUED', null],
      [archs[0], 1, true, 'QUEUED', null],
      [archs[1], 0, true, 'QUEUED', null],
      [archs[1], 1, true, 'QUEUED', null],
    ]);
    expect(entries[0].job).toMatchObject({
      epochsDone: 0,
      totalEpochs: 12,
      priority: 3,
      dataset: 'fashion-mnist',
      protocol: 'fmnist-c8n1-e12',
      requestedBy: 'trainer-key',
    });
    const ids = entries.map((e) => e.job.id);
    const boss: Json[] = await t.store.dataSource.query(
      `SELECT id, state, priority, data FROM pgboss.job WHERE name = 'train' AND id = ANY($1::uuid[])`,
      [ids],
    );
    expect(boss).toHaveLength(4);
    for (const row of boss) expect(row).toMatchObject({ state: 'created', priority: 3, data: { jobId: row.id } });

    const again = await train({ archs: [archs[1], archs[0]], seeds: [1, 0] }, keys.admin);
    expect(again.errors).toBeUndefined();
    const repeated = again.data!.requestTraining as Json[];
    expect(repeated.every((e) => e.isNew === false)).toBe(true);
    expect(new Set(repeated.map((e) => e.job.id))).toEqual(new Set(ids));
    expect(await count(`SELECT count(*) AS n FROM training_job`)).toBe(4);
    expect(await count(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'train'`)).toBe(4);
  });

  it('creates each job once under concurrent identical requests', async () => {
    const variables = { archs: archs.slice(2, 5), seeds: [7] };
    const replies = await Promise.all(Array.from({ length: 4 }, () => train(variables)));
    for (const reply of replies) expect(reply.errors).toBeUndefined();
    const byArch = new Map<string, Set<string>>();
    let created = 0;
    for (const reply of replies) {
      for (const e of reply.data!.requestTraining as Json[]) {
        byArch.set(e.architecture.arch, (byArch.get(e.architecture.arch) ?? new Set()).add(e.job.id));
        if (e.isNew) created++;
      }
    }
    expect([...byArch.values()].map((s) => s.size)).toEqual([1, 1, 1]);
    expect(created).toBe(3);
    expect(await count(`SELECT count(*) AS n FROM training_job WHERE seed = 7`)).toBe(3);
    expect(await count(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'train'`)).toBe(7);
  });

  it('answers a key with a finished run by the run, without a job', async () => {
    const manager = t.store.dataSource.manager;
    const reply = await train({ archs: [archs[5]], seeds: [0, 1] });
    expect(reply.errors).toBeUndefined();
    // Finish seed 0's run by hand (as an import would), then cancel its job.
    const [arch] = await manager.query(`SELECT id FROM architecture WHERE arch = $1`, [archs[5]]);
    const [{ d, p }] = await manager.query(
      `SELECT (SELECT id FROM dataset WHERE name = 'fashion-mnist') AS d, (SELECT id FROM protocol WHERE name = 'fmnist-c8n1-e12') AS p`,
    );
    await manager.query(
      `INSERT INTO run (architecture_id, dataset_id, protocol_id, seed, source, status, valid_acc) VALUES ($1, $2, $3, 0, 'IMPORTED', 'COMPLETE', 91.5)`,
      [arch.id, d, p],
    );
    const seed0 = (reply.data!.requestTraining as Json[])[0].job.id;
    expect((await request(t.url, CANCEL, { id: seed0 }, keys.trainer)).data!.cancelJob.status).toBe('CANCELLED');
    const again = (await train({ archs: [archs[5]], seeds: [0, 1] })).data!.requestTraining as Json[];
    expect(again[0]).toMatchObject({
      seed: 0,
      isNew: false,
      job: null,
      run: { status: 'COMPLETE', source: 'IMPORTED', validAcc: 91.5 },
    });
    expect(again[1]).toMatchObject({ seed: 1, isNew: false, run: null, job: { status: 'QUEUED' } });
  });

  it('needs the trainer or admin role', async () => {
    const anonymous = await request(t.url, REQUEST, { ...base, archs: [archs[6]] });
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    expect(codeOf(await train({ archs: [archs[6]] }, keys.publisher))).toBe('FORBIDDEN');
    expect(codeOf(await request(t.url, CANCEL, { id: '00000000-0000-4000-8000-000000000000' }, keys.publisher))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await request(t.url, CANCEL, { id: '00000000-0000-4000-8000-000000000000' }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await count(`SELECT count(*) AS n FROM architecture WHERE arch = '${archs[6]}'`)).toBe(0);
  });

  it('refuses bad input with typed errors and writes nothing', async () => {
    const before = await count(`SELECT count(*) AS n FROM training_job`);
    const cases: Array<[Json, string, Json?]> = [
      [{ space: 'nb999', archs: [archs[6]] }, 'UNKNOWN_SPACE'],
      [{ dataset: 'mnist', archs: [archs[6]] }, 'UNKNOWN_DATASET'],
      [{ protocol: 'nope', archs: [archs[6]] }, 'UNKNOWN_PROTOCOL'],
      [{ archs: [archs[6], '|nor_conv_3x3~0|+|bogus~0|'] }, 'INVALID_ARCHITECTURE', { index: 1 }],
      [{ protocol: 'hp=200', archs: [archs[6]] }, 'INVALID_ARGUMENT', { argument: 'protocol' }],
      [{ dataset: 'cifar10', archs: [archs[6]] }, 'INVALID_ARGUMENT', { argument: 'dataset' }],
      [{ space: 'darts', archs: ['x'] }, 'INVALID_ARGUMENT', { argument: 'space' }],
      [{ archs: archs.slice(0, 7) }, 'LIMIT_EXCEEDED', { limit: 'maxArchs', max: 6 }],
      [{ archs: archs.slice(0, 4), seeds: [0, 1] }, 'LIMIT_EXCEEDED', { limit: 'maxArchs' }],
      [{ archs: [] }, 'INVALID_ARGUMENT', { argument: 'archs' }],
      [{ archs: [archs[6]], seeds: [-1] }, 'INVALID_ARGUMENT', { argument: 'seeds', index: 0 }],
      [{ archs: [archs[6]], seeds: [2, 2] }, 'INVALID_ARGUMENT', { argument: 'seeds' }],
      [{ archs: [archs[6]], seeds: [] }, 'INVALID_ARGUMENT', { argument: 'seeds' }],
    ];
    for (const [variables, code, details] of cases) {
      const reply = await train(variables);
      expect(codeOf(reply), JSON.stringify(variables)).toBe(code);
      if (details) expect(reply.errors![0].extensions).toMatchObject(details);
    }
    expect(await count(`SELECT count(*) AS n FROM training_job`)).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM architecture WHERE arch = '${archs[6]}'`)).toBe(0);
  });

  it('reads a job by id, null for unknown ids', async () => {
    const [{ id }] = await t.store.dataSource.query(
      `SELECT id FROM training_job WHERE status = 'QUEUED' ORDER BY created_at LIMIT 1`,
    );
    const reply = await request(t.url, JOB, { id });
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.job).toMatchObject({
      id,
      status: 'QUEUED',
      epoch: null,
      epochsDone: 0,
      totalEpochs: 12,
      etaSeconds: null,
      attempts: 0,
      hasCheckpoint: false,
      curve: null,
      run: null,
    });
    expect((await request(t.url, JOB, { id: '00000000-0000-4000-8000-000000000000' })).data!.job).toBeNull();
    expect((await request(t.url, JOB, { id: 'not-a-job' })).data!.job).toBeNull();
  });

  it('pages jobs newest first with cursors and filters', async () => {
    const total = await count(`SELECT count(*) AS n FROM training_job`);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const reply: Reply = await request(t.url, JOBS, { first: 3, after });
      expect(reply.errors).toBeUndefined();
      const page = reply.data!.jobs;
      expect(page.totalCount).toBe(total);
      seen.push(...page.edges.map((e: Json) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const ordered: Json[] = await t.store.dataSource.query(
      `SELECT id FROM training_job ORDER BY created_at DESC, id DESC`,
    );
    expect(seen).toEqual(ordered.map((r) => r.id));

    const cancelled = (await request(t.url, JOBS, { first: 50, filter: { status: ['CANCELLED'] } })).data!.jobs;
    expect(cancelled.totalCount).toBe(1);
    const queued = (
      await request(t.url, JOBS, {
        first: 50,
        filter: {
          status: ['QUEUED', 'RUNNING'],
          space: 'nb201',
          dataset: 'fashion-mnist',
          protocol: 'fmnist-c8n1-e12',
        },
      })
    ).data!.jobs;
    expect(queued.totalCount).toBe(total - 1);
    expect(codeOf(await request(t.url, JOBS, { first: 51 }))).toBe('LIMIT_EXCEEDED');
    expect(codeOf(await request(t.url, JOBS, { first: 5, after: 'bogus' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(await request(t.url, JOBS, { first: 5, filter: { dataset: 'mnist' } }))).toBe('UNKNOWN_DATASET');
  });

  it('cancels a queued job (pg-boss too), then CONFLICT; NOT_FOUND for unknown ids; a new request queues a fresh job', async () => {
    const entry = ((await train({ archs: [archs[7]] })).data!.requestTraining as Json[])[0];
    const reply = await request(t.url, CANCEL, { id: entry.job.id }, keys.admin);
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.cancelJob).toMatchObject({ id: entry.job.id, status: 'CANCELLED' });
    expect(reply.data!.cancelJob.finishedAt).toBeTruthy();
    const [boss] = await t.store.dataSource.query(`SELECT state FROM pgboss.job WHERE id = $1`, [entry.job.id]);
    expect(boss.state).toBe('cancelled');
    expect(codeOf(await request(t.url, CANCEL, { id: entry.job.id }, keys.trainer))).toBe('CONFLICT');
    expect(codeOf(await request(t.url, CANCEL, { id: '00000000-0000-4000-8000-000000000000' }, keys.trainer))).toBe(
      'NOT_FOUND',
    );
    const fresh = ((await train({ archs: [archs[7]] })).data!.requestTraining as Json[])[0];
    expect(fresh.isNew).toBe(true);
    expect(fresh.job.id).not.toBe(entry.job.id);
  });
});
