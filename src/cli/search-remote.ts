import {
  runWorker,
  type ClientSearchRun,
  type ClientSearchTrial,
  type CreateSearchRunInput,
  type NashubClient,
  type RunWorkerSummary,
} from '../client';

/** The JSON `nashub search --url` prints: the in-process report's fields that the API gives, and the run's id. */
export interface RemoteSearchReport {
  runId: string;
  url: string;
  space: string;
  dataset: string;
  preset: string | null;
  mode: string;
  strategy: string;
  strategyOptions: Record<string, unknown>;
  seed: number;
  workers: number;
  status: string;
  budget: { seconds: number } | { evaluations: number } | null;
  /** The returned architecture, or null when nothing was told within the budget. */
  arch: string | null;
  id: string | null;
  /** Its value at the observed protocol, as the run saw it. */
  observed: { protocol: string; value: number | null };
  /** Its value under the final protocol (null when the store lacks it). */
  final: { protocol: string; value: number | null };
  /** Trials told. */
  evaluations: number;
  /** Told (simulated) cost. */
  seconds: number;
  wallSeconds: number;
  /** What this process's workers did. */
  told: number;
  failed: number;
  refused: number;
  trajectory: Array<{ seconds: number; evaluations: number; arch: string; observed: number; final: number | null }>;
}

/** Options of {@link runRemoteSearch}. */
export interface RemoteSearchOptions {
  client: NashubClient;
  input: CreateSearchRunInput;
  /** Workers run side by side in this process. */
  workers: number;
  /** Stops the workers (the run is then stopped); the report says what the run had. */
  signal?: AbortSignal;
  /** Called with the run once created. */
  onCreated?: (run: ClientSearchRun) => void;
  /** Called after each told trial. */
  onTold?: (trial: ClientSearchTrial, totals: { evaluations: number; seconds: number }) => void;
}

/** What a TABLE trial says to tell: the stored record's value and simulated cost. */
async function tellSimulated(trial: ClientSearchTrial): Promise<{ value: number; cost: number | null }> {
  if (trial.simulated === null) throw new Error(`trial ${trial.id} carries no simulated value (not a TABLE run)`);
  return { value: trial.simulated.value, cost: trial.simulated.cost };
}

/** The report of a run read back after its workers stopped. */
export function remoteSearchReport(
  run: ClientSearchRun,
  context: { url: string; workers: number; wallSeconds: number; summary: Omit<RunWorkerSummary, 'finished'> },
): RemoteSearchReport {
  const budget =
    run.budgetSeconds !== null
      ? { seconds: run.budgetSeconds }
      : run.budgetEvaluations !== null
        ? { evaluations: run.budgetEvaluations }
        : null;
  return {
    runId: run.id,
    url: context.url,
    space: run.space,
    dataset: run.dataset,
    preset: run.preset,
    mode: run.mode,
    strategy: run.strategy,
    strategyOptions: run.strategyOptions,
    seed: run.seed,
    workers: context.workers,
    status: run.status,
    budget,
    arch: run.best?.architecture.arch ?? null,
    id: run.best?.architecture.id ?? null,
    observed: { protocol: run.observeProtocol, value: run.best?.value ?? null },
    final: { protocol: run.finalProtocol, value: run.best?.finalValue ?? null },
    evaluations: run.budgetUsed.evaluations,
    seconds: run.budgetUsed.seconds,
    wallSeconds: context.wallSeconds,
    told: context.summary.told,
    failed: context.summary.failed,
    refused: context.summary.refused,
    trajectory: (run.trajectory ?? []).map((point) => ({
      seconds: point.seconds,
      evaluations: point.evaluations,
      arch: point.architecture.arch,
      observed: point.value,
      final: point.finalValue,
    })),
  };
}

/**
 * `nashub search --url`: creates a TABLE run through the API, runs `workers` workers in this process that tell each
 * trial's simulated value and cost back (as `nashub search --mode table` evaluates in-process), and reports the run.
 */
export async function runRemoteSearch(options: RemoteSearchOptions): Promise<RemoteSearchReport> {
  const { client } = options;
  const started = performance.now();
  const created = await client.createSearchRun(options.input);
  options.onCreated?.({ ...created, trajectory: [] });
  const totals = { evaluations: 0, seconds: 0 };
  const summaries = await Promise.all(
    Array.from({ length: options.workers }, (_, i) =>
      runWorker({
        client,
        run: created.id,
        worker: `nashub-search-${process.pid}-${i}`,
        evaluate: tellSimulated,
        signal: options.signal,
        onTrial: (event) => {
          if (event.outcome !== 'TOLD') return;
          totals.evaluations++;
          totals.seconds += event.trial.cost ?? 0;
          options.onTold?.(event.trial, totals);
        },
      }),
    ),
  );
  if (options.signal?.aborted) await client.stopSearchRun(created.id);
  const run = await client.searchRun(created.id);
  if (run === null) throw new Error(`run ${created.id} vanished while it was searched`);
  const summary = { told: 0, failed: 0, refused: 0 };
  for (const s of summaries) {
    summary.told += s.told;
    summary.failed += s.failed;
    summary.refused += s.refused;
  }
  return remoteSearchReport(run, {
    url: client.url,
    workers: options.workers,
    wallSeconds: (performance.now() - started) / 1000,
    summary,
  });
}
