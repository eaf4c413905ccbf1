import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchService } from '../src/search/service';
import { startSearchServer, type SearchServer } from './support/search-service-fixtures';
import { StatementCounter } from './support/statement-counter';
import { onPostgres } from './support/test-database';

/**
 * A long-lived API process keeps at most so many live strategies and trial-to-run entries; what it drops is rebuilt
 * from the store. Two runs asked in turn by a service that keeps one strategy (each ask rebuilds the other run's from
 * its log) ask exactly what a service that keeps both asks.
 */
describe(`the search service's bounded caches (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let server: SearchServer;
  const counter = new StatementCounter();

  beforeAll(async () => {
    server = await startSearchServer({ logger: counter });
  }, 600_000);

  afterAll(async () => {
    await server?.close();
  });

  /** Asks and tells two runs (REA and BANANAS, seed 3, 25 evaluations each) in turn; each run's asked ids in order. */
  async function interleave(service: SearchService): Promise<string[][]> {
    const runs = await Promise.all(
      ['REGULARIZED_EVOLUTION', 'BANANAS'].map((strategy) =>
        service.createRun({ preset: 'nb201-cifar10-valid', strategy, seed: 3, budgetEvaluations: 25 }),
      ),
    );
    const asked: string[][] = runs.map(() => []);
    const finished = runs.map(() => false);
    while (finished.includes(false)) {
      for (const [i, run] of runs.entries()) {
        if (finished[i]) continue;
        const answer = await service.ask(run.id, 'w', 1);
        if (answer.trials.length === 0) {
          finished[i] = true;
          continue;
        }
        const [trial] = answer.trials;
        asked[i].push(trial.archId);
        await service.tell(trial.id, 'w', { value: trial.simulatedValue!, cost: trial.simulatedCost });
      }
    }
    return asked;
  }

  it('asks the same with one live strategy and two trial entries as with the defaults', async () => {
    const replays = (statements: string[]) => statements.filter((q) => q.includes('FROM search_event')).length;
    let roomy: string[][] = [];
    let tight: string[][] = [];
    const roomyStatements = await counter.during(async () => {
      roomy = await interleave(new SearchService(server.store.dataSource));
    });
    const tightStatements = await counter.during(async () => {
      tight = await interleave(new SearchService(server.store.dataSource, { maxLiveStrategies: 1, maxTrialRuns: 2 }));
    });
    expect(roomy.map((ids) => ids.length)).toEqual([25, 25]);
    expect(tight).toEqual(roomy);
    // Kept live, a strategy is never replayed from the log; evicted, it is at nearly every ask of the other run.
    expect(replays(roomyStatements)).toBe(0);
    expect(replays(tightStatements)).toBeGreaterThan(40);
  }, 300_000);
});
