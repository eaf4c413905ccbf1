import { createRng } from '../../core';
import { TableEvaluator } from '../evaluator/table-evaluator';
import { createStrategy } from '../strategy';
import type { SearchTable } from '../table/search-table';
import { runSearch, type SearchProgress, type SearchRunResult } from './run-search';
import { buildSearchReport } from './build-search-report';
import { SearchMode, type SearchReport } from './search-report';
import type { SearchSpec } from './search-spec';

/** Options of {@link runTableSearch}. */
export interface RunTableSearchOptions {
  spec: SearchSpec;
  /** Loaded once (`loadSearchTable`); many runs may share it. */
  table: SearchTable;
  onProgress?(progress: SearchProgress): void;
}

/** One simulated run: the strategy sees only the evaluator's answers; the report then looks up final metrics. */
export async function runTableSearch(
  options: RunTableSearchOptions,
): Promise<{ report: SearchReport; run: SearchRunResult<unknown> }> {
  const { spec, table } = options;
  const wallStart = performance.now();
  const evaluator = new TableEvaluator<unknown>({
    table,
    defaultFidelity: spec.observe,
    requireCosts: spec.budget.kind === 'SECONDS',
  });
  const strategy = createStrategy(
    spec.strategy,
    { space: spec.space, rng: createRng(spec.seed), fidelities: evaluator.fidelities, defaultFidelity: spec.observe },
    spec.strategyOptions,
  );
  const run = await runSearch({
    space: spec.space,
    strategy,
    evaluator,
    budget: spec.budget,
    workers: spec.workers,
    onProgress: options.onProgress,
  });
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const optimum = table.optimum();
  const report = buildSearchReport({
    spec,
    run,
    mode: SearchMode.TABLE,
    wallSeconds,
    finalValue: (id) => table.finalValue(id),
    optimum,
  });
  return { report, run };
}
