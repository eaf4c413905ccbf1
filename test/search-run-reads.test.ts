import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchService } from '../src/search/service';
import { startSearchServer, type SearchServer } from './support/search-service-fixtures';
import { StatementCounter } from './support/statement-counter';
import { onPostgres } from './support/test-database';

interface RunAnswer {
  id: string;
  budgetUsed: { evaluations: number; seconds: number };
  best: { value: number; architecture: { id: string } } | null;
  trajectory: Array<{ evaluations: number; value: number; architecture: { id: string } }>;
}

const FIELDS =
  'id budgetUsed { evaluations seconds } best { value architecture { id } } trajectory { evaluations value architecture { id } }';

/**
 * `budgetUsed`, `best` and `trajectory` all answer from a run's told trials: a request reads them once per run, and once
 * for every run of a `searchRuns` page, however many of those fields it asks for.
 */
describe(`reading search runs (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let server: SearchServer;
  const counter = new StatementCounter();
  const runs: string[] = [];

  beforeAll(async () => {
    server = await startSearchServer({ logger: counter });
    const service = new SearchService(server.store.dataSource);
    for (const [strategy, budget] of [
      ['REGULARIZED_EVOLUTION', 12],
      ['RANDOM', 7],
    ] as const) {
      const run = await service.createRun({
        preset: 'nb201-cifar10-valid',
        strategy,
        seed: 5,
        budgetEvaluations: budget,
      });
      for (;;) {
        const [trial] = (await service.ask(run.id, 'w', 1)).trials;
        if (!trial) break;
        await service.tell(trial.id, 'w', { value: trial.simulatedValue!, cost: trial.simulatedCost });
      }
      runs.push(String(run.id));
    }
  }, 600_000);

  afterAll(async () => {
    await server?.close();
  });

  const toldReads = (statements: string[]) => statements.filter((q) => q.includes("t.state = 'TOLD'")).length;

  it('reads one run’s told trials once for its budget, its answer and its trajectory', async () => {
    let run: RunAnswer | null = null;
    const statements = await counter.during(async () => {
      const response = await server.gql<{ searchRun: RunAnswer }>(
        `query($id: ID!) { searchRun(id: $id) { ${FIELDS} } }`,
        {
          id: runs[0],
        },
      );
      expect(response.errors).toBeUndefined();
      run = response.data!.searchRun;
    });
    expect(toldReads(statements)).toBe(1);
    const { budgetUsed, best, trajectory } = run!;
    expect(budgetUsed.evaluations).toBe(12);
    expect(trajectory.length).toBeGreaterThan(0);
    expect(trajectory.at(-1)!.evaluations).toBeLessThanOrEqual(12);
    expect(best).toEqual({ value: trajectory.at(-1)!.value, architecture: trajectory.at(-1)!.architecture });
  });

  it('reads the told trials of every run of a page in one statement', async () => {
    let page: RunAnswer[] = [];
    const statements = await counter.during(async () => {
      const response = await server.gql<{ searchRuns: { edges: Array<{ node: RunAnswer }> } }>(
        `{ searchRuns { edges { node { ${FIELDS} } } } }`,
        {},
      );
      expect(response.errors).toBeUndefined();
      page = response.data!.searchRuns.edges.map((e) => e.node);
    });
    expect(toldReads(statements)).toBe(1);
    const byId = new Map(page.map((run) => [run.id, run]));
    expect(byId.get(runs[0])!.budgetUsed.evaluations).toBe(12);
    expect(byId.get(runs[1])!.budgetUsed.evaluations).toBe(7);
    for (const run of page) expect(run.best?.value).toBe(run.trajectory.at(-1)?.value);
  });
});
