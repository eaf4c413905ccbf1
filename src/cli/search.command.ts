import { Command } from 'commander';
import { ErrorCode, NashubError } from '../core';
import { SearchMode, type SearchModeValue } from '../search/run/search-report';
import { resolveSearchSpec } from '../search/run/search-spec';
import { runTableSearch } from '../search/run/run-table-search';
import { runTrainingSearch } from '../search/run/run-training-search';
import { loadSearchTable } from '../search/table/load-search-table';
import type { SearchProgress } from '../search/run/run-search';
import { STRATEGY_NAMES } from '../search/strategy';
import { SEARCH_PRESETS } from '../search/preset/search-presets';
import { openStore } from '../store';
import { JobQueue } from '../store/queue';
import { loadConfig } from './load-config';
import { parseIntegerFlag, positiveNumber } from './parse-integer-flag';
import { createProgressReporter } from './progress-reporter';
import { collect, parseStrategyOptions, searchRequestOf, type SearchFlags } from './search-flags';
import { runRemoteSearchCommand } from './search-remote.command';
import type { RemoteFlags } from './search-remote-client';
import { searchRunsCommand, searchShowCommand } from './search-runs.command';

interface SearchCommandFlags extends SearchFlags, RemoteFlags {
  strategy?: string;
  seed: string;
  mode: string;
  trainingSeed: string;
  earlyStopping?: string;
  pollMs: string;
  priority: string;
}

function parseMode(text: string, remote: boolean): SearchModeValue | 'EXTERNAL' {
  const mode = text.toUpperCase();
  if (mode === SearchMode.TABLE || mode === SearchMode.TRAINING) return mode;
  if (mode === 'EXTERNAL' && remote) return mode;
  const modes = remote ? 'table, training or external' : 'table or training (external needs --url)';
  throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--mode must be ${modes}, got "${text}"`, {
    details: { option: '--mode', value: text },
  });
}

/** `--early-stopping THRESHOLD[,MIN_EPOCH_FRACTION]`. */
function parseEarlyStopping(text: string | undefined): { threshold: number; minEpochFraction: number } | null {
  if (text === undefined) return null;
  const [threshold, minEpochFraction = 0.25, ...rest] = text.split(',').map((part) => Number(part.trim()));
  if (rest.length > 0 || !(threshold >= 0 && threshold <= 1) || !(minEpochFraction >= 0 && minEpochFraction <= 1)) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `--early-stopping must be THRESHOLD[,MIN_EPOCH_FRACTION] with both in [0, 1], got "${text}"`,
      { details: { option: '--early-stopping', value: text } },
    );
  }
  return { threshold, minEpochFraction };
}

/**
 * `nashub search`: one search run, on the stored table (simulated) or by training; prints one JSON object. With
 * `--url` the run lives on a server (search-remote.command.ts); `search runs` and `search show` read runs there.
 * `--strategy` is checked in the action, not by commander, which would require it of `search runs` too; positional
 * options make `search runs --url U` the sub-command's --url.
 */
export function searchCommand(): Command {
  return new Command('search')
    .description(
      'run one architecture search and print the returned architecture, its final metrics, evaluations, seconds and trajectory as JSON',
    )
    .option('--preset <name>', `a published protocol (${[...SEARCH_PRESETS.keys()].join(', ')})`)
    .option('--space <space>', 'search space (set by a preset)')
    .option('--dataset <name>', 'dataset (set by a preset)')
    .option('--protocol <name>', "without a preset: observe and report this protocol's final validation accuracy")
    .option('--strategy <name>', `search strategy (${STRATEGY_NAMES.join(', ')}); required`)
    .option('--option <key=value>', 'a strategy option, e.g. population=20 (repeatable)', collect, [])
    .option(
      '--budget-seconds <s>',
      "budget on the evaluator's clock: simulated seconds (table) or wall seconds (training); default the preset's",
    )
    .option('--budget-evals <n>', 'budget in evaluations')
    .option('--workers <n>', 'evaluations running at once', '1')
    .option('--seed <n>', "the strategy's seed", '0')
    .option(
      '--mode <mode>',
      'table (simulated from stored records), training (train what the store lacks) or, with --url, external (workers join)',
      'table',
    )
    .option('--training-seed <n>', 'training mode: seed of the training jobs', '0')
    .option(
      '--early-stopping <p[,f]>',
      'training mode: cancel a job when P(final > best so far) < p, from fraction f of its epochs (default 0.25)',
    )
    .option('--poll-ms <ms>', 'training mode: how often running jobs are read', '1000')
    .option('--priority <n>', 'training mode: queue priority of the jobs', '0')
    .option('--url <url>', 'run the search through the API at this GraphQL endpoint (a run any worker may join)')
    .option('--key <key>', 'with --url: an API key with role trainer or admin')
    .enablePositionalOptions()
    .addCommand(searchRunsCommand())
    .addCommand(searchShowCommand())
    .action(async (flags: SearchCommandFlags) => {
      if (flags.strategy === undefined)
        throw new NashubError(ErrorCode.INVALID_ARGUMENT, '--strategy is required', {
          details: { option: '--strategy' },
        });
      const mode = parseMode(flags.mode, flags.url !== undefined);
      if (flags.url !== undefined || mode === 'EXTERNAL') {
        await runRemoteSearchCommand({ ...flags, strategy: flags.strategy, mode });
        return;
      }
      if (flags.key !== undefined)
        throw new NashubError(ErrorCode.INVALID_ARGUMENT, '--key applies to --url', { details: { option: '--key' } });
      const spec = resolveSearchSpec({
        ...searchRequestOf(flags),
        strategy: flags.strategy,
        strategyOptions: parseStrategyOptions(flags.option),
        seed: parseIntegerFlag('--seed', flags.seed),
      });
      const earlyStopping = parseEarlyStopping(flags.earlyStopping);
      if (earlyStopping !== null && mode !== SearchMode.TRAINING) {
        throw new NashubError(
          ErrorCode.INVALID_ARGUMENT,
          '--early-stopping applies to training mode (a table search has final values at once)',
          { details: { option: '--early-stopping' } },
        );
      }
      const config = loadConfig(process.env);
      const store = await openStore({ config: config.store });
      const budget = spec.budget;
      const progress = createProgressReporter({
        job: 'search',
        unit: budget.kind === 'SECONDS' ? 's' : 'evaluations',
        detail: '{evaluations} evaluations | best observed {best}',
      });
      const onProgress = (p: SearchProgress) => {
        const done = budget.kind === 'SECONDS' ? Math.min(Math.round(p.seconds), budget.seconds) : p.evaluations;
        progress.update(done, budget.kind === 'SECONDS' ? budget.seconds : budget.evaluations, {
          evaluations: p.evaluations,
          best: p.bestObserved ?? '-',
        });
      };
      try {
        if (mode === SearchMode.TABLE) {
          const table = await loadSearchTable(store.dataSource.manager, spec);
          const { report } = await runTableSearch({ spec, table, onProgress });
          progress.stop();
          process.stdout.write(`${JSON.stringify(report)}\n`);
          return;
        }
        const queue = await JobQueue.open(store);
        // Ctrl-C ends the run with what it has; its unfinished jobs are cancelled.
        const abort = new AbortController();
        const onSignal = () => abort.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          const report = await runTrainingSearch({
            store,
            queue,
            spec,
            trainingSeed: parseIntegerFlag('--training-seed', flags.trainingSeed)!,
            earlyStopping,
            pollMs: positiveNumber('--poll-ms', flags.pollMs, true),
            priority: parseIntegerFlag('--priority', flags.priority)!,
            requestedBy: 'nashub search',
            onProgress,
            signal: abort.signal,
          });
          progress.stop();
          process.stdout.write(`${JSON.stringify(report)}\n`);
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await queue.stop();
        }
      } finally {
        progress.stop();
        await store.close();
      }
    });
}
