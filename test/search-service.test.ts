import { createClient } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server';
import { DEFAULT_LIMITS } from '../src/server/limit/api-limits';
import { runTableSearch } from '../src/search/run/run-table-search';
import { resolveSearchSpec } from '../src/search/run/search-spec';
import { loadSearchTable } from '../src/search/table/load-search-table';
import { resolveStrategyOptions } from '../src/search/strategy';
import { graphqlRequest } from './support/graphql-request';
import { startSearchServer, TRIAL_FIELDS, type SearchServer } from './support/search-service-fixtures';
import { onPostgres } from './support/test-database';
import { collectSubscription } from './support/graphql-subscription';

interface Trial {
  id: string;
  number: number;
  state: string;
  retryOf: string | null;
  architecture: { id: string; arch: string };
  simulated: { value: number; cost: number | null } | null;
}

interface Ask {
  trials: Trial[];
  finished: boolean;
  retryAfterSeconds: number;
}

const CREATE = `mutation($input: CreateSearchRunInput!) { createSearchRun(input: $input) { id status mode observeProtocol finalProtocol } }`;
const ASK = `mutation($run: ID!, $worker: String!, $n: Int) { ask(run: $run, worker: $worker, n: $n) { finished retryAfterSeconds trials { ${TRIAL_FIELDS} } } }`;
const TELL = `mutation($trial: ID!, $worker: String!, $value: Float!, $cost: Float) { tell(trial: $trial, worker: $worker, value: $value, cost: $cost) { ${TRIAL_FIELDS} } }`;
const TELL_AND_ASK = `mutation($trial: ID!, $worker: String!, $value: Float!, $n: Int) {
  tellAndAsk(trial: $trial, worker: $worker, value: $value, n: $n) {
    told { ${TRIAL_FIELDS} } next { finished retryAfterSeconds trials { ${TRIAL_FIELDS} } } } }`;
const RUN = `query($id: ID!) { searchRun(id: $id) { id status budgetUsed { evaluations seconds }
  best { architecture { id } value finalValue } trajectory { seconds evaluations architecture { id } value finalValue }
  trials(first: 1000) { totalCount edges { node { ${TRIAL_FIELDS} } } } } }`;

function codeOf(response: { errors?: Array<{ extensions?: Record<string, unknown> }> }): unknown {
  return response.errors?.[0]?.extensions?.code;
}

describe(`search runs as a service over HTTP (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let server: SearchServer;
  /** A second API process on the same store: its own strategy cache, so asks there rebuild the strategy from the log. */
  let second: RunningServer;
  let secondUrl: string;

  beforeAll(async () => {
    server = await startSearchServer();
    second = await startServer({
      store: server.store,
      port: 0,
      host: '127.0.0.1',
      maxBodyBytes: 4 * 1024 * 1024,
      production: false,
      logger: pino({ level: 'silent' }),
      limits: DEFAULT_LIMITS,
    });
    secondUrl = `http://127.0.0.1:${second.port}/graphql`;
  }, 600_000);

  afterAll(async () => {
    await second?.stop();
    await server?.close();
  });

  async function create(input: Record<string, unknown>): Promise<string> {
    const response = await server.gql<{ createSearchRun: { id: string } }>(CREATE, { input });
    expect(response.errors).toBeUndefined();
    return response.data!.createSearchRun.id;
  }

  async function ask(url: string, run: string, worker: string, n = 1): Promise<Ask> {
    const response = await graphqlRequest<{ ask: Ask }>(
      url,
      ASK,
      { run, worker, n },
      { authorization: server.authorization },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.ask;
  }

  async function tell(url: string, trial: Trial, worker: string, value = trial.simulated!.value) {
    return graphqlRequest<{ tell: Trial }>(
      url,
      TELL,
      { trial: trial.id, worker, value },
      { authorization: server.authorization },
    );
  }

  async function tellAndAsk(url: string, trial: Trial, worker: string, value = trial.simulated!.value) {
    return graphqlRequest<{ tellAndAsk: { told: Trial; next: Ask } }>(
      url,
      TELL_AND_ASK,
      { trial: trial.id, worker, value, n: 1 },
      { authorization: server.authorization },
    );
  }

  it('gives the identical trajectory in-process and through the API, asked on two API processes in turn', async () => {
    for (const [strategy, combined] of [
      ['REGULARIZED_EVOLUTION', false],
      ['BANANAS', false],
      ['REGULARIZED_EVOLUTION', true],
    ] as const) {
      const spec = resolveSearchSpec({ preset: 'nb201-cifar10-valid', strategy, seed: 7, workers: 1 });
      const table = await loadSearchTable(server.store.dataSource.manager, spec);
      const local = await runTableSearch({ spec, table });

      const run = await create({ preset: 'nb201-cifar10-valid', strategy, seed: 7 });
      const asked: string[] = [];
      let next: Ask | null = null;
      for (let i = 0; ; i++) {
        const url = i % 2 === 0 ? server.url : secondUrl;
        const answer: Ask = next ?? (await ask(url, run, 'w1'));
        if (answer.finished) break;
        expect(answer.trials).toHaveLength(1);
        const [trial] = answer.trials;
        asked.push(trial.architecture.id);
        if (combined) {
          // The tell and the next ask in one request: the same run, step for step.
          const both = await tellAndAsk(url, trial, 'w1');
          expect(both.errors).toBeUndefined();
          expect(both.data!.tellAndAsk.told).toMatchObject({ id: trial.id, state: 'TOLD' });
          next = both.data!.tellAndAsk.next;
        } else expect((await tell(url, trial, 'w1')).errors).toBeUndefined();
      }
      const response = await server.gql<{ searchRun: Record<string, any> }>(RUN, { id: run });
      const remote = response.data!.searchRun;
      expect(remote.status).toBe('FINISHED');
      expect(asked).toEqual(local.run.told.map((e) => e.id));
      expect(remote.budgetUsed.evaluations).toBe(local.run.told.length);
      expect(remote.budgetUsed.seconds).toBeCloseTo(local.run.seconds, 6);
      expect(
        remote.trajectory.map((p: any) => ({ seconds: p.seconds, evaluations: p.evaluations, id: p.architecture.id })),
      ).toEqual(
        local.run.trajectory.map((p) => ({
          seconds: expect.closeTo(p.seconds, 6),
          evaluations: p.evaluations,
          id: p.id,
        })),
      );
      expect(remote.best.architecture.id).toBe(local.report.id);
      expect(remote.best.finalValue).toBe(local.report.final.value);
      expect(remote.best.finalValue).toBe(table.data.final.values.get(remote.best.architecture.id));
    }
  }, 600_000);

  it('keeps the strategy options with every default filled in, so later defaults do not change a stored run', async () => {
    const run = await create({
      preset: 'nb201-cifar10-valid',
      strategy: 'EVOLUTION_WITH_PREDICTOR',
      strategyOptions: { population: 5 },
    });
    const response = await server.gql<{ searchRun: { strategyOptions: Record<string, unknown> } }>(
      'query($id: ID!) { searchRun(id: $id) { strategyOptions } }',
      { id: run },
    );
    expect(response.errors).toBeUndefined();
    const stored = response.data!.searchRun.strategyOptions;
    expect(stored).toEqual(resolveStrategyOptions('EVOLUTION_WITH_PREDICTOR', { population: 5 }));
    expect(stored).toMatchObject({ population: 5, initial: 10, zeroCost: 'FLOPS', warmup: 10, prior: 'LINEAR' });
    const [row] = await server.store.dataSource.query('SELECT strategy_options FROM search_run WHERE id = $1', [run]);
    expect(row.strategy_options).toEqual(stored);
  });

  it('hands no trial to two of several concurrent workers and tells exactly the evaluation budget', async () => {
    const run = await create({
      preset: 'nb201-cifar10-valid',
      strategy: 'REGULARIZED_EVOLUTION',
      budgetEvaluations: 40,
      seed: 1,
    });
    const worker = async (name: string) => {
      for (;;) {
        const answer = await ask(server.url, run, name, 2);
        if (answer.finished) return;
        if (answer.trials.length === 0) await new Promise((r) => setTimeout(r, answer.retryAfterSeconds * 1000));
        for (const trial of answer.trials) expect((await tell(server.url, trial, name)).errors).toBeUndefined();
      }
    };
    await Promise.all(['a', 'b', 'c', 'd'].map(worker));
    const remote = (await server.gql<{ searchRun: Record<string, any> }>(RUN, { id: run })).data!.searchRun;
    expect(remote.status).toBe('FINISHED');
    const trials = remote.trials.edges.map((e: any) => e.node);
    expect(trials).toHaveLength(40);
    expect(new Set(trials.map((t: any) => t.number)).size).toBe(40);
    expect(trials.every((t: any) => t.state === 'TOLD')).toBe(true);
    expect(remote.budgetUsed.evaluations).toBe(40);
  }, 300_000);

  it('expires a lapsed lease and asks the same architecture again; tell is idempotent and refuses what it must', async () => {
    const run = await create({
      preset: 'nb201-cifar10-valid',
      strategy: 'RANDOM',
      budgetEvaluations: 3,
      leaseSeconds: 600,
    });
    const first = await ask(server.url, run, 'dies', 2);
    expect(first.trials).toHaveLength(2);
    const [lost, kept] = first.trials;
    // The leases lapse (set in the past rather than waited for, so a slow machine cannot lapse the later ones too).
    await server.store.dataSource.query(
      `UPDATE search_trial SET lease_expires_at = clock_timestamp() - interval '1 second' WHERE id = ANY($1::int[])`,
      [[Number(lost.id), Number(kept.id)]],
    );
    const again = await ask(server.url, run, 'alive', 3);
    // Both lapsed: asked again first, then the one evaluation the budget has left.
    expect(again.trials.slice(0, 2).map((t) => [t.retryOf, t.architecture.id])).toEqual([
      [lost.id, lost.architecture.id],
      [kept.id, kept.architecture.id],
    ]);
    expect(again.trials).toHaveLength(3);
    expect(codeOf(await tell(server.url, lost, 'dies'))).toBe('CONFLICT');
    // Refused as tell is, tellAndAsk asks nothing either.
    expect(codeOf(await tellAndAsk(server.url, lost, 'dies'))).toBe('CONFLICT');
    const [{ trials: asked }] = await server.store.dataSource.query(
      'SELECT count(*)::int AS trials FROM search_trial WHERE run_id = $1',
      [run],
    );
    expect(asked).toBe(5);
    const [retry] = again.trials;
    expect(codeOf(await tell(server.url, retry, 'someone-else'))).toBe('CONFLICT');
    expect(codeOf(await tell(server.url, retry, 'alive', 101))).toBe('INVALID_ARGUMENT');
    expect(codeOf(await tell(server.url, retry, 'alive', retry.simulated!.value + 1))).toBe('INVALID_ARGUMENT');
    expect((await tell(server.url, retry, 'alive')).data!.tell.state).toBe('TOLD');
    expect((await tell(server.url, retry, 'alive')).data!.tell.state).toBe('TOLD');
    const nonFinite = await graphqlRequest(
      server.url,
      TELL,
      { trial: retry.id, worker: 'alive', value: 'NaN' },
      {
        authorization: server.authorization,
      },
    );
    expect(nonFinite.errors).toBeDefined();
    for (const trial of again.trials.slice(1)) expect((await tell(server.url, trial, 'alive')).errors).toBeUndefined();
    const done = await ask(server.url, run, 'alive');
    expect(done).toEqual({ trials: [], finished: true, retryAfterSeconds: 0 });
    const remote = (await server.gql<{ searchRun: Record<string, any> }>(RUN, { id: run })).data!.searchRun;
    expect(remote.status).toBe('FINISHED');
    expect(remote.budgetUsed.evaluations).toBe(3);
    expect(remote.trials.totalCount).toBe(5);
  }, 120_000);

  it("streams a run's events over graphql-ws as they commit and completes after FINISHED", async () => {
    const run = await create({ preset: 'nb201-cifar10-valid', strategy: 'RANDOM', budgetEvaluations: 2 });
    const client = createClient({
      url: server.url.replace('http://', 'ws://'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const { events, errors, done } = collectSubscription<{
      kind: string;
      run: { status: string; budgetUsed: { evaluations: number } };
      trial: { number: number } | null;
    }>(
      client,
      `subscription($run: ID!) { searchRunEvents(run: $run) { kind run { status budgetUsed { evaluations } } trial { number } } }`,
      { run },
      'searchRunEvents',
    );
    try {
      // The subscription is in place once the server LISTENs; give it a moment before writing.
      await new Promise((r) => setTimeout(r, 500));
      const answer = await ask(server.url, run, 'w', 2);
      for (const trial of answer.trials) expect((await tell(server.url, trial, 'w')).errors).toBeUndefined();
      await done;
    } finally {
      await client.dispose();
    }
    expect(errors).toEqual([]);
    expect(events.map((e) => [e.kind, e.trial?.number ?? null])).toEqual([
      ['ASKED', 0],
      ['ASKED', 1],
      ['TOLD', 0],
      ['TOLD', 1],
      ['FINISHED', null],
    ]);
    expect(events.at(-1)!.run.status).toBe('FINISHED');
    // Each event reads the run as it stands then: nothing the subscription read before is served again.
    const told = events.map((e) => e.run.budgetUsed.evaluations);
    expect(told[0]).toBe(0);
    expect(told.at(-1)).toBe(2);
    expect(told).toEqual([...told].sort((a, b) => a - b));
  }, 120_000);

  it('answers typed errors for bad input and writes nothing', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ preset: 'nb201-cifar10-valid', strategy: 'NOPE' }, 'UNKNOWN_STRATEGY'],
      [{ preset: 'nope', strategy: 'RANDOM' }, 'UNKNOWN_PRESET'],
      [{ preset: 'nb201-cifar10-valid', strategy: 'RANDOM', budgetEvaluations: 0 }, 'INVALID_ARGUMENT'],
      [{ preset: 'nb201-cifar10-valid', strategy: 'RANDOM', leaseSeconds: -1 }, 'INVALID_ARGUMENT'],
      [{ preset: 'nb201-cifar10-valid', strategy: 'RANDOM', strategyOptions: { bogus: 1 } }, 'INVALID_ARGUMENT'],
      [
        { space: 'nb201', dataset: 'imagenet', protocol: 'hp=200', strategy: 'RANDOM', budgetEvaluations: 5 },
        'UNKNOWN_DATASET',
      ],
      [{ preset: 'nb201-cifar100', strategy: 'RANDOM' }, 'DATA_NOT_IMPORTED'],
    ];
    const before = (await server.gql<{ searchRuns: { totalCount: number } }>('{ searchRuns { totalCount } }')).data!
      .searchRuns.totalCount;
    for (const [input, code] of bad) {
      const response = await server.gql(CREATE, { input });
      expect(codeOf(response), JSON.stringify(input)).toBe(code);
    }
    const anonymous = await graphqlRequest(server.url, CREATE, {
      input: { preset: 'nb201-cifar10-valid', strategy: 'RANDOM' },
    });
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    expect((await server.gql('{ searchRuns { totalCount } }')).data).toEqual({ searchRuns: { totalCount: before } });
    const run = await create({ preset: 'nb201-cifar10-valid', strategy: 'RANDOM', budgetEvaluations: 2 });
    for (const n of [0, 65]) expect(codeOf(await server.gql(ASK, { run, worker: 'w', n }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(await server.gql(ASK, { run: '999999', worker: 'w', n: 1 }))).toBe('NOT_FOUND');
    expect(codeOf(await server.gql(ASK, { run, worker: '', n: 1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(await server.gql(TELL, { trial: '999999', worker: 'w', value: 50 }))).toBe('NOT_FOUND');
    // tellAndAsk: its tell's and its ask's bad input, refused before anything is written.
    const [held] = (await ask(server.url, run, 'w')).trials;
    const value = held.simulated!.value;
    expect(codeOf(await server.gql(TELL_AND_ASK, { trial: '999999', worker: 'w', value, n: 1 }))).toBe('NOT_FOUND');
    for (const [n, v] of [
      [0, value],
      [65, value],
      [1, 101],
    ])
      expect(codeOf(await server.gql(TELL_AND_ASK, { trial: held.id, worker: 'w', value: v, n }))).toBe(
        'INVALID_ARGUMENT',
      );
    const rows = (await server.store.dataSource.query('SELECT state FROM search_trial WHERE run_id = $1', [
      run,
    ])) as Array<{ state: string }>;
    expect(rows.map((r) => r.state)).toEqual(['ASKED']);
    const stopped = await server.gql<{ stopSearchRun: { status: string } }>(
      'mutation($run: ID!) { stopSearchRun(run: $run) { status } }',
      { run },
    );
    expect(stopped.data!.stopSearchRun.status).toBe('STOPPED');
    expect(await ask(server.url, run, 'w')).toEqual({ trials: [], finished: true, retryAfterSeconds: 0 });
  }, 120_000);
});
