import { ErrorCode, NashubError } from '../core';
import type { CreateSearchRunInput, SearchRunMode } from '../client';
import { parseIntegerFlag } from './parse-integer-flag';
import { createProgressReporter } from './progress-reporter';
import { parseStrategyOptions, type SearchFlags } from './search-flags';
import { runRemoteSearch } from './search-remote';
import { remoteClientOf, remoteUrlOf, withRemoteErrors, type RemoteFlags } from './search-remote-client';

/** The flags of `nashub search --url`. */
export interface RemoteSearchFlags extends SearchFlags, RemoteFlags {
  strategy: string;
  seed: string;
  mode: SearchRunMode;
  earlyStopping?: string;
}

/** A number flag, or INVALID_ARGUMENT naming it. */
function numberFlag(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `${option} must be a number, got "${value}"`, {
      details: { option, value },
    });
  return n;
}

/** The run the flags describe; names, budgets and options are checked by the server, as they are in-process. */
function createInputOf(flags: RemoteSearchFlags): CreateSearchRunInput {
  return {
    preset: flags.preset,
    space: flags.space,
    dataset: flags.dataset,
    protocol: flags.protocol,
    strategy: flags.strategy,
    strategyOptions: parseStrategyOptions(flags.option),
    budgetSeconds: numberFlag('--budget-seconds', flags.budgetSeconds),
    budgetEvaluations: parseIntegerFlag('--budget-evals', flags.budgetEvals),
    seed: parseIntegerFlag('--seed', flags.seed),
    mode: flags.mode,
  };
}

/**
 * `nashub search --url URL`: a TABLE run is created through the API and searched by `--workers` workers in this
 * process, which tell each trial's simulated value back; prints the report (with the run's id). EXTERNAL and
 * TRAINING runs are created and their JSON printed: other workers (the SDK, the Python worker) or the server's
 * trainer do the evaluations.
 */
export async function runRemoteSearchCommand(flags: RemoteSearchFlags): Promise<void> {
  if (flags.earlyStopping !== undefined)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, '--early-stopping applies to in-process training searches', {
      details: { option: '--early-stopping' },
    });
  const url = remoteUrlOf(flags);
  const input = createInputOf(flags);
  const workers = parseIntegerFlag('--workers', flags.workers)!;
  if (workers < 1 || workers > 64)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--workers must be in 1..64, got ${workers}`, {
      details: { option: '--workers', value: flags.workers },
    });
  const client = remoteClientOf(flags);
  if (flags.mode !== 'TABLE') {
    const run = await withRemoteErrors(url, () => client.createSearchRun(input));
    if (run !== undefined) process.stdout.write(`${JSON.stringify({ runId: run.id, url, ...run })}\n`);
    return;
  }
  let budget = { kind: 'evaluations', total: 0 };
  const progress = createProgressReporter({
    job: 'search',
    unit: 'evaluations',
    detail: '{evaluations} evaluations | {seconds} s told',
  });
  // Ctrl-C stops this process's workers and the run; the report says what the run had.
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const report = await withRemoteErrors(url, () =>
      runRemoteSearch({
        client,
        input,
        workers,
        signal: abort.signal,
        onCreated: (run) => {
          budget =
            run.budgetEvaluations !== null
              ? { kind: 'evaluations', total: run.budgetEvaluations }
              : { kind: 'seconds', total: run.budgetSeconds ?? 0 };
        },
        onTold: (_trial, totals) => {
          const done =
            budget.kind === 'seconds' ? Math.min(Math.round(totals.seconds), budget.total) : totals.evaluations;
          progress.update(done, budget.total, { evaluations: totals.evaluations, seconds: Math.round(totals.seconds) });
        },
      }),
    );
    progress.stop();
    if (report !== undefined) process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
