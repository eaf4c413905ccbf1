import type { DataSource } from 'typeorm';
import {
  checkJsonText,
  checkName,
  checkText,
  ErrorCode,
  getSpace,
  isTrainableSpace,
  METRICS,
  NashubError,
  ACCURACY_METRICS,
  type MetricName,
} from '../../core';
import { loadCatalog } from '../../store/catalog/catalog';
import type { SearchTrialEntity } from '../../store/entity/search-trial.entity';
import {
  closeSearchRunAsking,
  findRunIdOfTrial,
  findSearchRun,
  insertSearchRun,
  loadProtocolValues,
  loadSearchEvents,
  notifySearchRunEvent,
  setSearchRunStatus,
  trialsToRetry,
  updateTrialState,
  SearchRunEventKind,
  SearchRunMode,
  SearchRunStatus,
  SearchTrialState,
  type NewSearchTrial,
  type QueuedTrials,
  type SearchRunCounts,
  type SearchRunModeValue,
  type SearchRunRow,
} from '../../store/search';
import { loadTrainingFidelities } from '../run/run-training-search';
import { evictOldest } from './evict-oldest';
import { resolveSearchSpec, type SearchRequest } from '../run/search-spec';
import { resolveStrategyOptions } from '../strategy';
import { loadSearchTable } from '../table/load-search-table';
import type { SearchTable } from '../table/search-table';
import {
  buildRunStrategy,
  observationOf,
  replayEvents,
  type LiveStrategy,
  type StoredFidelity,
} from './strategy-replay';
import { RunBatcher, type RunBatchContext } from './run-batcher';

/** Trials one ask may hand out. */
export const MAX_ASK = 64;
/** The longest lease a run may give (a week). */
export const MAX_LEASE_SECONDS = 7 * 24 * 3600;
/** The longest curve a tell may carry. */
export const MAX_CURVE_LENGTH = 10_000;

/** What `createSearchRun` takes: a search as `nashub search` names it, plus how it is evaluated. */
export interface CreateSearchRunRequest extends Omit<SearchRequest, 'workers'> {
  mode?: SearchRunModeValue;
  leaseSeconds?: number;
  createdBy?: string | null;
}

/** What `ask` answers. */
export interface SearchAskResult {
  /** The run asked (as locked), or null when it was not RUNNING. */
  run: SearchRunRow | null;
  trials: SearchTrialEntity[];
  /** True when the run gives nothing more. */
  finished: boolean;
  /** With no trials and not finished: when to ask again. */
  retryAfterSeconds: number;
}

/** A trial as a mutation left it, with its run (as locked; its status after the change). */
export interface TrialOfRun {
  run: SearchRunRow;
  trial: SearchTrialEntity;
}

/** An operation on one trial, served in its run's next batch after {@link checkTrialOperation}. */
interface TrialOperation {
  /** Refuses (a NashubError) what the trial's state does not allow. */
  check(trial: SearchTrialEntity, run: SearchRunRow): void;
  /** Writes; answers how to read the trial once the batch's writes are flushed. */
  apply(ctx: RunBatchContext, trial: SearchTrialEntity): Promise<() => SearchTrialEntity>;
}

/** A worker's result. */
export interface TrialResult {
  value: number;
  cost?: number | null;
  curve?: readonly number[] | null;
}

function invalid(message: string, details: Record<string, unknown>): never {
  throw new NashubError(ErrorCode.INVALID_ARGUMENT, message, { details });
}

function conflict(message: string, details: Record<string, unknown>): never {
  throw new NashubError(ErrorCode.CONFLICT, message, { details });
}

function checkWorker(worker: string): void {
  checkName(worker, { field: 'worker' });
}

function checkAskCount(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_ASK)
    invalid(`n must be a whole number in [1, ${MAX_ASK}], got ${n}`, { argument: 'n' });
}

/**
 * The checks every operation on a trial shares: the trial is the worker's, and its run still takes changes (a told
 * trial's repeated tell is answered after the run is over). Answers the trial.
 */
function checkTrialOperation(ctx: RunBatchContext, trialId: number, worker: string): SearchTrialEntity {
  const { run, trials } = ctx;
  const trial = trials.get(trialId)!;
  if (trial.worker !== worker) conflict(`trial ${trial.id} was handed to another worker`, { trial: trial.id, worker });
  if (run.status !== SearchRunStatus.RUNNING && trial.state !== SearchTrialState.TOLD)
    conflict(`search run ${run.id} is ${run.status}`, { run: run.id, status: run.status });
  return trial;
}

/**
 * Search runs as a shared, durable object: many workers ask one run for trials and tell results, on any number of API
 * processes. Every change to a run happens in one transaction under the run's row lock; the strategy is rebuilt by
 * replaying the run's event log (kept per process and caught up from the log when another process moved it on), so a
 * restart loses nothing. Leases expire lazily: whoever touches the run first after a lease lapsed expires the trial,
 * and the next ask hands the same architecture out again.
 */
export class SearchService {
  /** Live strategies, least recently used first: an evicted one is rebuilt from its run's log when next needed. */
  private readonly strategies = new Map<number, LiveStrategy>();
  private readonly tables = new Map<string, Promise<SearchTable>>();
  /** Runs whose table (TABLE mode) this process has loaded, or that need none. */
  private readonly tableReady = new Set<number>();
  /** The run of each trial this process has seen (a trial never changes run). */
  private readonly trialRuns = new Map<number, number>();
  private readonly batcher: RunBatcher;

  private readonly maxLiveStrategies: number;
  private readonly maxTrialRuns: number;

  /**
   * @param options bounds of what a long-lived process keeps in memory: live strategies (default 64; each up to a few
   *   MB with its in-run predictor) and the trial-to-run index (default 100,000). Both are caches of the store.
   *   `verifyCounts`: see {@link RunBatcher}.
   */
  constructor(
    private readonly dataSource: DataSource,
    options: { maxLiveStrategies?: number; maxTrialRuns?: number; verifyCounts?: boolean } = {},
  ) {
    this.maxLiveStrategies = options.maxLiveStrategies ?? 64;
    this.maxTrialRuns = options.maxTrialRuns ?? 100_000;
    // The strategy may have moved on inside a transaction that did not commit: it is rebuilt from the log next time.
    this.batcher = new RunBatcher(dataSource, (runId) => this.strategies.delete(runId), {
      verifyCounts: options.verifyCounts,
    });
  }

  /** Checks the request and stores a RUNNING run; TABLE mode loads (and keeps) its records first. */
  async createRun(request: CreateSearchRunRequest): Promise<SearchRunRow> {
    const mode = request.mode ?? SearchRunMode.TABLE;
    if (!Object.values(SearchRunMode).includes(mode)) invalid(`unknown mode ${String(mode)}`, { argument: 'mode' });
    const leaseSeconds = request.leaseSeconds ?? 600;
    if (!(Number.isFinite(leaseSeconds) && leaseSeconds > 0 && leaseSeconds <= MAX_LEASE_SECONDS))
      invalid(`leaseSeconds must be in (0, ${MAX_LEASE_SECONDS}], got ${leaseSeconds}`, { argument: 'leaseSeconds' });
    if (request.strategyOptions !== undefined) checkJsonText(request.strategyOptions, { field: 'strategyOptions' });
    const spec = resolveSearchSpec({ ...request, workers: 1 });
    if (mode === SearchRunMode.TRAINING && !isTrainableSpace(spec.space.name))
      invalid(`nashub's trainer cannot train ${spec.space.name}; use mode EXTERNAL`, { argument: 'mode' });
    const manager = this.dataSource.manager;
    const catalog = await loadCatalog(manager);
    const dataset = catalog.datasetByName.get(spec.dataset);
    const protocolOf = (name: string) => {
      const protocol = catalog.protocolByName.get(name);
      if (protocol) return protocol;
      if (spec.importHint !== null)
        throw new NashubError(
          ErrorCode.DATA_NOT_IMPORTED,
          `protocol ${name} is not in the store; this search needs: ${spec.importHint}`,
          {
            details: { protocol: name, import: spec.importHint },
          },
        );
      throw new NashubError(ErrorCode.UNKNOWN_PROTOCOL, `unknown protocol "${name}"`, { details: { protocol: name } });
    };
    if (mode === SearchRunMode.TABLE) await this.tableOf(spec);
    // The trainer's rules (trainer protocols of the dataset) are checked here, not when the first job is asked for.
    if (mode === SearchRunMode.TRAINING) await loadTrainingFidelities(this.dataSource.manager, spec);
    if (!dataset) {
      if (spec.importHint !== null)
        throw new NashubError(
          ErrorCode.DATA_NOT_IMPORTED,
          `dataset ${spec.dataset} is not in the store; this search needs: ${spec.importHint}`,
          {
            details: { dataset: spec.dataset, import: spec.importHint },
          },
        );
      throw new NashubError(ErrorCode.UNKNOWN_DATASET, `unknown dataset "${spec.dataset}"`, {
        details: { dataset: spec.dataset },
      });
    }
    const fidelities: StoredFidelity[] = spec.fidelities.map((f) => ({
      protocol: f.protocol,
      metric: f.metric,
      costFrom: f.costFrom,
      epochs: protocolOf(f.protocol).epochs,
    }));
    protocolOf(spec.final.protocol);
    const run = await this.dataSource.transaction(async (tx) => {
      const row = await insertSearchRun(tx, {
        space: spec.space.name,
        datasetId: dataset.id,
        preset: spec.preset,
        fidelities,
        observe: spec.observe,
        finalProtocol: spec.final.protocol,
        finalMetric: spec.final.metric,
        strategy: spec.strategy,
        // Every default filled in: a later release's defaults must not change how this run's log replays.
        strategyOptions: resolveStrategyOptions(spec.strategy, spec.strategyOptions),
        seed: String(spec.seed),
        mode,
        budgetSeconds: spec.budget.kind === 'SECONDS' ? spec.budget.seconds : null,
        budgetEvaluations: spec.budget.kind === 'EVALUATIONS' ? spec.budget.evaluations : null,
        leaseSeconds,
        createdBy: request.createdBy ?? null,
      });
      // Builds the strategy once, so a bad option fails here (the transaction rolls back) and not at the first ask.
      buildRunStrategy(row);
      return row;
    });
    return run;
  }

  /** Up to `n` trials for `worker`: expired trials asked again first, then the strategy's suggestions. */
  async ask(runId: number, worker: string, n: number): Promise<SearchAskResult> {
    checkWorker(worker);
    checkAskCount(n);
    await this.prepareAsk(runId);
    return this.batcher.submit(runId, { apply: (ctx) => this.askIn(ctx, worker, n) });
  }

  /**
   * Tells a trial's result and asks for the worker's next `n` trials in the same batch: a worker's step between two
   * evaluations in one round trip (and one place in a batch) instead of two. Refused as {@link tell} refuses (nothing
   * is asked then); the ask answers as {@link ask}.
   */
  async tellAndAsk(
    trialId: number,
    worker: string,
    result: TrialResult,
    n: number,
  ): Promise<{ told: TrialOfRun; next: SearchAskResult }> {
    checkWorker(worker);
    checkAskCount(n);
    const tell = this.tellOperation(result);
    const runId = await this.runOfTrial(trialId);
    await this.prepareAsk(runId);
    return this.batcher.submit(runId, {
      trialId,
      check: (ctx) => tell.check(checkTrialOperation(ctx, trialId, worker), ctx.run),
      apply: async (ctx) => {
        const readTold = await tell.apply(ctx, ctx.trials.get(trialId)!);
        const run = { ...ctx.run };
        const readNext = await this.askIn(ctx, worker, n);
        return () => ({ told: { run, trial: readTold() }, next: readNext() });
      },
    });
  }

  /**
   * Loads a TABLE run's records before its first transaction in this process (once per process and run): on PGlite a
   * read outside the transaction would wait for it forever.
   */
  private async prepareAsk(runId: number): Promise<void> {
    if (this.tableReady.has(runId)) return;
    const peek = await findSearchRun(this.dataSource.manager, runId);
    if (peek?.mode === SearchRunMode.TABLE) await this.tableOfRun(peek);
    if (peek) this.tableReady.add(runId);
  }

  /** An ask inside a batch; answers how to read its result once the batch's writes are flushed. */
  private async askIn(ctx: RunBatchContext, worker: string, n: number): Promise<() => SearchAskResult> {
    const { run, counts, writes } = ctx;
    if (run.status !== SearchRunStatus.RUNNING)
      return () => ({ run: null, trials: [], finished: true, retryAfterSeconds: 0 });
    const given: QueuedTrials[] = [];
    if (counts.toRetry > 0 && this.retriesAllowed(run, counts)) {
      const retries = await trialsToRetry(await ctx.flushed(), run.id, n);
      given.push(
        writes.insertTrials(
          worker,
          run.leaseSeconds,
          retries.map((t) => ({
            archId: t.archId,
            arch: t.arch,
            fidelity: t.fidelity,
            simulatedValue: t.simulatedValue,
            simulatedCost: t.simulatedCost,
            askSeq: null,
            retryOf: t.id,
          })),
        ),
      );
      // A retry moves an expired trial's place (and its simulated cost, already committed) to an outstanding one.
      counts.toRetry -= retries.length;
      counts.outstanding += retries.length;
      counts.spentEvaluations += retries.length;
    }
    let givenCount = given.reduce((sum, q) => sum + q.count, 0);
    const room = Math.min(n - givenCount, this.newRoom(run, counts));
    if (room > 0) {
      const live = await this.current(ctx);
      // The ASK's place in the run's log: the run's version, which only this transaction moves while it holds the lock.
      const seq = run.version;
      const suggestions = await live.strategy.ask(room);
      live.version++;
      const fresh: NewSearchTrial[] = [];
      for (const suggestion of suggestions) {
        const archId = live.space.id(suggestion.arch);
        let simulatedValue: number | null = null;
        let simulatedCost: number | null = null;
        if (run.mode === SearchRunMode.TABLE) {
          const observed = (await this.tableOfRun(run)).observe(archId, suggestion.fidelity);
          simulatedValue = observed.value;
          simulatedCost = observed.cost ?? null;
          if (run.budgetSeconds !== null) {
            // As `runSearch` with one worker: an evaluation that would end past the budget is never told, and the
            // run asks nothing after it.
            if (counts.committedSeconds + (simulatedCost ?? 0) > run.budgetSeconds) {
              await closeSearchRunAsking(await ctx.flushed(), run.id);
              run.asking = false;
              break;
            }
          }
          counts.committedSeconds += simulatedCost ?? 0;
        }
        fresh.push({
          archId,
          arch: live.space.format(suggestion.arch),
          fidelity: suggestion.fidelity,
          simulatedValue,
          simulatedCost,
          askSeq: seq,
          retryOf: null,
        });
      }
      // The ASK is logged with the trials it produced, or alone when it produced none.
      writes.logAsk(seq, room);
      given.push(writes.insertTrials(worker, run.leaseSeconds, fresh));
      run.version += 1;
      givenCount += fresh.length;
      counts.outstanding += fresh.length;
      counts.spentEvaluations += fresh.length;
      if (suggestions.length === 0 && counts.outstanding === 0 && counts.toRetry === 0 && givenCount === 0) {
        // The strategy has nothing left to ask and waits for nothing: the run is over.
        await closeSearchRunAsking(await ctx.flushed(), run.id);
        run.asking = false;
      }
    }
    // A run that just handed trials out is not finished; with none handed out, the counts still stand.
    const finished = givenCount === 0 && (await this.finishIfDone(ctx, counts));
    const runNow = { ...run };
    return () => {
      const trials = given.flatMap((q) => q.rows);
      for (const trial of trials) this.rememberTrialRun(trial.id, run.id);
      return {
        run: runNow,
        trials,
        finished,
        retryAfterSeconds: trials.length > 0 || finished ? 0 : this.retryAfter(run),
      };
    };
  }

  /** Marks a trial RUNNING and renews its lease. */
  async heartbeat(trialId: number, worker: string): Promise<TrialOfRun> {
    checkWorker(worker);
    return this.submitTrial(trialId, worker, {
      check: (trial) => {
        if (trial.state !== SearchTrialState.ASKED && trial.state !== SearchTrialState.RUNNING)
          conflict(`trial ${trial.id} is ${trial.state}; only ASKED or RUNNING trials take a heartbeat`, {
            trial: trial.id,
            state: trial.state,
          });
      },
      apply: async (ctx, trial) => {
        const row = await updateTrialState(await ctx.flushed(), trial.id, {
          state: SearchTrialState.RUNNING,
          leaseSeconds: ctx.run.leaseSeconds,
        });
        ctx.trials.set(trial.id, row);
        return () => row;
      },
    });
  }

  /** Records a trial's result and tells the strategy; the same value again is a no-op, another is CONFLICT. */
  async tell(trialId: number, worker: string, result: TrialResult): Promise<TrialOfRun> {
    checkWorker(worker);
    return this.submitTrial(trialId, worker, this.tellOperation(result));
  }

  /** A tell as an operation on its trial, its arguments checked (INVALID_ARGUMENT) before any batch. */
  private tellOperation(result: TrialResult): TrialOperation {
    const { value } = result;
    if (!Number.isFinite(value)) invalid(`value must be a finite number, got ${value}`, { argument: 'value' });
    const cost = result.cost ?? null;
    if (cost !== null && !(Number.isFinite(cost) && cost >= 0))
      invalid(`cost must be a finite number >= 0, got ${cost}`, { argument: 'cost' });
    const curve = result.curve ?? null;
    if (curve !== null) {
      if (curve.length > MAX_CURVE_LENGTH)
        invalid(`a curve has at most ${MAX_CURVE_LENGTH} values`, { argument: 'curve' });
      if (!curve.every((v) => Number.isFinite(v)))
        invalid('curve values must be finite numbers', { argument: 'curve' });
    }
    /** Set by check: the trial was told this value before, so the tell changes nothing. */
    let repeated = false;
    return {
      check: (trial, run) => {
        repeated = false;
        if (trial.state === SearchTrialState.TOLD) {
          if (trial.value === value && (cost === null || trial.cost === cost)) {
            repeated = true;
            return;
          }
          conflict(`trial ${trial.id} was already told ${trial.value}`, { trial: trial.id, told: trial.value, value });
        }
        if (trial.state !== SearchTrialState.ASKED && trial.state !== SearchTrialState.RUNNING)
          conflict(`trial ${trial.id} is ${trial.state} and takes no result`, { trial: trial.id, state: trial.state });
        const fidelity = (run.fidelities as StoredFidelity[])[trial.fidelity];
        checkScale(fidelity.metric, value);
        if (curve !== null) for (const v of curve) checkScale(fidelity.metric, v, 'curve');
        if (
          run.mode === SearchRunMode.TABLE &&
          trial.simulatedValue !== null &&
          Math.abs(trial.simulatedValue - value) > 1e-9
        )
          invalid(`a TABLE run's trial is told its record's value ${trial.simulatedValue}, got ${value}`, {
            argument: 'value',
          });
      },
      apply: async (ctx, trial) => {
        if (repeated) return () => trial;
        const { run, counts, writes } = ctx;
        const told = run.mode === SearchRunMode.TABLE ? (cost ?? trial.simulatedCost) : cost;
        const live = await this.current(ctx);
        live.strategy.tell([observationOf(live.space, { ...trial, value, cost: told })]);
        live.version++;
        const answer = live.strategy.recommend();
        writes.tellTrial({
          trialId: trial.id,
          seq: run.version,
          value,
          cost: told,
          curve,
          answerArch: answer === null ? null : live.space.format(answer),
          toldIndex: counts.told + 1,
          toldSeconds: counts.toldSeconds + (told ?? 0),
        });
        // A repeated tell later in the batch is checked against this result, written only at the batch's end.
        ctx.trials.set(trial.id, { ...trial, state: SearchTrialState.TOLD, value, cost: told });
        run.version += 1;
        // This trial left the outstanding ones and its cost is told.
        counts.told += 1;
        counts.outstanding -= 1;
        counts.toldSeconds += told ?? 0;
        counts.committedSeconds += -(trial.simulatedCost ?? 0) + (told ?? trial.simulatedCost ?? 0);
        await this.finishIfDone(ctx, counts);
        return () => writes.toldRow(trial.id);
      },
    };
  }

  /** Records that a trial could not be evaluated; it counts against an evaluation budget and is never told. */
  async fail(trialId: number, worker: string, reason: string): Promise<TrialOfRun> {
    checkWorker(worker);
    checkText(reason, { field: 'reason', maxLength: 2000 });
    return this.submitTrial(trialId, worker, {
      check: (trial) => {
        if (trial.state === SearchTrialState.FAILED) return;
        if (trial.state !== SearchTrialState.ASKED && trial.state !== SearchTrialState.RUNNING)
          conflict(`trial ${trial.id} is ${trial.state}`, { trial: trial.id, state: trial.state });
      },
      apply: async (ctx, trial) => {
        if (trial.state === SearchTrialState.FAILED) return () => trial;
        const { run, counts } = ctx;
        const tx = await ctx.flushed();
        const row = await updateTrialState(tx, trial.id, { state: SearchTrialState.FAILED, reason });
        ctx.trials.set(trial.id, row);
        await notifySearchRunEvent(tx, { runId: run.id, kind: SearchRunEventKind.FAILED, trialId: trial.id });
        counts.failed += 1;
        counts.outstanding -= 1;
        counts.committedSeconds -= trial.simulatedCost ?? 0;
        await this.finishIfDone(ctx, counts);
        return () => row;
      },
    });
  }

  /** Stops a RUNNING run: nothing more is asked or told. A finished run is returned as it is. */
  async stop(runId: number): Promise<SearchRunRow> {
    return this.batcher.submit(runId, {
      apply: async (ctx) => {
        const { run } = ctx;
        const tx = await ctx.flushed();
        if (run.status === SearchRunStatus.RUNNING) {
          await setSearchRunStatus(tx, run.id, SearchRunStatus.STOPPED);
          run.status = SearchRunStatus.STOPPED;
          await notifySearchRunEvent(tx, { runId: run.id, kind: SearchRunEventKind.STOPPED, trialId: null });
        }
        const row = (await findSearchRun(tx, run.id))!;
        return () => row;
      },
    });
  }

  /** Expires lapsed leases of a run (reads call it so a run whose workers all died shows the truth). */
  async expireLapsed(runId: number): Promise<void> {
    // Taking the run's lock expires them: every batch does first.
    await this.batcher.submit(runId, { apply: async () => () => undefined });
  }

  /**
   * The reported metric (the run's final protocol) of architectures by id: from the run's table in TABLE mode, else
   * from stored records; null where there is none.
   */
  async finalValues(run: SearchRunRow, ids: readonly string[]): Promise<Map<string, number | null>> {
    const result = new Map<string, number | null>();
    if (ids.length === 0) return result;
    if (run.mode === SearchRunMode.TABLE) {
      const table = await this.tableOfRun(run);
      for (const id of ids) result.set(id, table.data.final.values.get(id) ?? null);
      return result;
    }
    const catalog = await loadCatalog(this.dataSource.manager);
    const protocol = catalog.protocolByName.get(run.finalProtocol);
    const values = protocol
      ? await loadProtocolValues(this.dataSource.manager, {
          space: run.space,
          datasetId: run.datasetId,
          protocolId: protocol.id,
          metric: run.finalMetric as MetricName,
          hashes: ids,
        })
      : [];
    const byHash = new Map(values.map((v) => [v.hash, v.value]));
    for (const id of ids) result.set(id, byHash.get(id) ?? null);
    return result;
  }

  /** Serves a trial's operation in its run's next batch, after {@link checkTrialOperation}. */
  private async submitTrial(trialId: number, worker: string, operation: TrialOperation): Promise<TrialOfRun> {
    const runId = await this.runOfTrial(trialId);
    return this.batcher.submit(runId, {
      trialId,
      check: (ctx) => operation.check(checkTrialOperation(ctx, trialId, worker), ctx.run),
      apply: async (ctx) => {
        const read = await operation.apply(ctx, ctx.trials.get(trialId)!);
        const run = { ...ctx.run };
        return () => ({ run, trial: read() });
      },
    });
  }

  /** The run a trial belongs to (never changes, so it is kept once known); NOT_FOUND for an unknown trial. */
  private async runOfTrial(trialId: number): Promise<number> {
    const known = this.trialRuns.get(trialId);
    if (known !== undefined) return known;
    const runId = await findRunIdOfTrial(this.dataSource.manager, trialId);
    if (runId === null)
      throw new NashubError(ErrorCode.NOT_FOUND, `no search trial ${trialId}`, { details: { trial: trialId } });
    this.rememberTrialRun(trialId, runId);
    return runId;
  }

  private rememberTrialRun(trialId: number, runId: number): void {
    this.trialRuns.set(trialId, runId);
    evictOldest(this.trialRuns, this.maxTrialRuns);
  }

  /** The run's strategy at the run's version: the cached one, caught up from the log, or rebuilt from it. */
  private async current(ctx: RunBatchContext): Promise<LiveStrategy> {
    const { run } = ctx;
    let live = this.strategies.get(run.id);
    if (!live || live.version > run.version) live = buildRunStrategy(run);
    this.strategies.delete(run.id);
    // The log is read after the batch's queued events are written: a strategy rebuilt mid-batch replays them too.
    if (live.version < run.version)
      await replayEvents(live, run.id, await loadSearchEvents(await ctx.flushed(), run.id, live.version));
    this.strategies.set(run.id, live);
    evictOldest(this.strategies, this.maxLiveStrategies);
    return live;
  }

  /** New suggestions the budget admits now. */
  private newRoom(run: SearchRunRow, counts: SearchRunCounts): number {
    if (!run.asking) return 0;
    if (run.budgetEvaluations !== null)
      return Math.max(0, run.budgetEvaluations - counts.spentEvaluations - counts.toRetry);
    const spent = run.mode === SearchRunMode.TABLE ? counts.committedSeconds : counts.toldSeconds;
    return spent < run.budgetSeconds! ? Number.POSITIVE_INFINITY : 0;
  }

  /** Whether expired trials are asked again: always, except once a time budget is spent by told results. */
  private retriesAllowed(run: SearchRunRow, counts: SearchRunCounts): boolean {
    return run.budgetSeconds === null || run.mode === SearchRunMode.TABLE || counts.toldSeconds < run.budgetSeconds;
  }

  /** FINISHED when nothing is outstanding and nothing more will be asked. */
  private async finishIfDone(ctx: RunBatchContext, counts: SearchRunCounts): Promise<boolean> {
    const { run } = ctx;
    if (run.status !== SearchRunStatus.RUNNING) return true;
    const pendingRetries = counts.toRetry > 0 && this.retriesAllowed(run, counts);
    if (counts.outstanding > 0 || pendingRetries || this.newRoom(run, counts) > 0) return false;
    const tx = await ctx.flushed();
    await setSearchRunStatus(tx, run.id, SearchRunStatus.FINISHED);
    run.status = SearchRunStatus.FINISHED;
    await notifySearchRunEvent(tx, { runId: run.id, kind: SearchRunEventKind.FINISHED, trialId: null });
    return true;
  }

  private retryAfter(run: SearchRunRow): number {
    return run.mode === SearchRunMode.TABLE ? 0.05 : Math.min(5, Math.max(0.5, run.leaseSeconds / 20));
  }

  private tableOfRun(run: SearchRunRow): Promise<SearchTable> {
    const fidelities = run.fidelities as StoredFidelity[];
    return this.tableOf({
      space: getSpace(run.space),
      dataset: run.dataset,
      fidelities: fidelities.map((f) => ({
        protocol: f.protocol,
        metric: f.metric as MetricName,
        costFrom: f.costFrom,
      })),
      final: { protocol: run.finalProtocol, metric: run.finalMetric as MetricName },
      budget:
        run.budgetSeconds !== null
          ? { kind: 'SECONDS', seconds: run.budgetSeconds }
          : { kind: 'EVALUATIONS', evaluations: run.budgetEvaluations! },
      importHint: null,
    });
  }

  /** The table of a spec, loaded once per process (NB201: three protocols of 15,625 rows). */
  private tableOf(spec: Parameters<typeof loadSearchTable>[1]): Promise<SearchTable> {
    const key = JSON.stringify([spec.space.name, spec.dataset, spec.fidelities, spec.final, spec.budget.kind]);
    let table = this.tables.get(key);
    if (!table) {
      table = loadSearchTable(this.dataSource.manager, spec);
      this.tables.set(key, table);
      table.catch(() => this.tables.delete(key));
    }
    return table;
  }
}

/** INVALID_ARGUMENT for a value outside its metric's scale: accuracy in [0, 100], losses and the rest >= 0. */
function checkScale(metric: string, value: number, argument = 'value'): void {
  const accuracy = ACCURACY_METRICS.has(metric as MetricName) || !METRICS.includes(metric as MetricName);
  if (accuracy ? value < 0 || value > 100 : value < 0)
    invalid(`${argument} ${value} is outside ${metric}'s scale (${accuracy ? '[0, 100]' : '>= 0'})`, {
      argument,
      metric,
    });
}
