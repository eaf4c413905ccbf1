import type { DataSource, EntityManager } from 'typeorm';
import { ErrorCode, NashubError } from '../../core';
import type { SearchTrialEntity } from '../../store/entity/search-trial.entity';
import {
  countSearchTrials,
  inRunBatch,
  SearchRunStatus,
  SearchTrialState,
  StaleRunBatchError,
  SearchRunWrites,
  type OpenedRunBatch,
  type SearchRunCounts,
  type SearchRunRow,
} from '../../store/search';
import { evictOldest } from './evict-oldest';

/** Counts of a run that is over (never used for decisions). */
const NO_COUNTS: SearchRunCounts = {
  told: 0,
  failed: 0,
  outstanding: 0,
  toRetry: 0,
  spentEvaluations: 0,
  toldSeconds: 0,
  committedSeconds: 0,
};

/** The most operations one transaction serves. */
export const MAX_BATCH = 64;

/** The most batches that read a run after a batch started from known state found it changed. */
const MAX_READING_AFTER_STALE = 64;

/** What this process knew of a run at the end of its last committed batch there. */
interface KnownRun {
  /** The stamp of the run row's version that batch wrote. */
  stamp: string;
  /** The run's counts as that batch left them. */
  counts: SearchRunCounts;
  /**
   * The run's row and its outstanding trials as that batch left them, when it knows them all exactly (it sent no
   * statement of its own, which could change what it does not see): the next batch can start from them.
   */
  state: { run: SearchRunRow; trials: Map<number, SearchTrialEntity> } | null;
}

/** The counts after `expired` outstanding trials expired: each leaves the outstanding ones and waits to be asked again. */
function afterExpiry(counts: SearchRunCounts, expired: number): SearchRunCounts {
  // An expired trial's simulated cost stays committed (it is asked again), so committedSeconds does not move.
  return {
    ...counts,
    outstanding: counts.outstanding - expired,
    toRetry: counts.toRetry + expired,
    spentEvaluations: counts.spentEvaluations - expired,
  };
}

/**
 * The run's outstanding trials after a batch that sent no statement of its own: those known before it (when still
 * the run's), less the expired, updated with the trials the batch named as it left them, plus those it inserted.
 */
function outstandingAfter(
  before: ReadonlyMap<number, SearchTrialEntity> | undefined,
  opened: OpenedRunBatch,
  named: ReadonlyMap<number, SearchTrialEntity>,
  writes: SearchRunWrites,
): Map<number, SearchTrialEntity> {
  const trials = new Map(before);
  for (const id of opened.expiredIds) trials.delete(id);
  for (const [id, trial] of [...named, ...writes.insertedRows.map((t) => [t.id, t] as const)]) {
    if (trial.state === SearchTrialState.ASKED || trial.state === SearchTrialState.RUNNING) trials.set(id, trial);
    else trials.delete(id);
  }
  return trials;
}

/** Whether two counts agree (sums of seconds up to rounding: they are added in a different order). */
function sameCounts(a: SearchRunCounts, b: SearchRunCounts): boolean {
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  return (
    a.told === b.told &&
    a.failed === b.failed &&
    a.outstanding === b.outstanding &&
    a.toRetry === b.toRetry &&
    a.spentEvaluations === b.spentEvaluations &&
    close(a.toldSeconds, b.toldSeconds) &&
    close(a.committedSeconds, b.committedSeconds)
  );
}

/**
 * What an operation of a batch sees: the run as locked and its counts, both kept current by the operations before it
 * in the same transaction (each operation updates them for what it changed), the batch's trials as they stand, and the
 * trials and log entries the batch writes at its end in one statement.
 */
export interface RunBatchContext {
  /**
   * The transaction, for a statement of its own: the batch's queued writes are flushed first, so the statement reads
   * and writes after them.
   */
  flushed(): Promise<EntityManager>;
  writes: SearchRunWrites;
  run: SearchRunRow;
  counts: SearchRunCounts;
  /** The trials the batch's operations name, read once under the lock and replaced by each operation that changes one. */
  trials: Map<number, SearchTrialEntity>;
}

/** One change to a run, served inside a batch's transaction. */
export interface RunOperation<T> {
  /** The trial the operation works on: read once for the whole batch, after the lock was taken. */
  trialId?: number;
  /**
   * Reads and refuses: a NashubError thrown here refuses this operation alone (nothing was written yet); the batch's
   * other operations go on.
   */
  check?(ctx: RunBatchContext): void;
  /**
   * Writes, and answers how to read the operation's result once the batch's queued writes are flushed. Any error here
   * fails the whole transaction; its operations are then served again one by one.
   */
  apply(ctx: RunBatchContext): Promise<() => T>;
}

interface Pending {
  operation: RunOperation<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Serves a run's operations in batches: an operation that arrives while this process has a transaction open on the
 * run waits, and all that waited are then served in the next transaction, under one row lock, one lease expiry and one
 * COMMIT. The lock's critical section (a chain of round trips to the database) caps a run's throughput at one
 * operation per section when every operation has its own; batched, a section serves as many operations as arrived
 * meanwhile. Every caller is answered after its batch committed, so what it is told is durable.
 */
export class RunBatcher {
  private readonly waiting = new Map<number, Pending[]>();
  /** Runs this process served last, least recently first: their counts, valid while no one else changed the run. */
  private readonly known = new Map<number, KnownRun>();
  /**
   * Runs where a batch that started from this process's known state found the run changed (its work was thrown away,
   * and the run's strategy rebuilt): the batches still to read the run before starting from known state again, and
   * how many the next such miss sets (doubling, up to {@link MAX_READING_AFTER_STALE}). Where other processes change
   * the run between this one's batches, misses grow rare instead of costing every other batch.
   */
  private readonly afterStale = new Map<number, { left: number; next: number }>();
  private readonly maxKnownRuns: number;
  private readonly verifyCounts: boolean;

  /**
   * @param dataSource where the transactions run.
   * @param onRollback called with the run's id when a transaction did not commit (in-memory state derived from it
   *   must be dropped).
   * @param options `maxKnownRuns` (default 1,024): runs whose counts are kept between batches; `verifyCounts`
   *   (default: env NASHUB_VERIFY_RUN_COUNTS=1, which the tests set): count every batch's trials in the database too
   *   and fail the batch where the kept counts disagree.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly onRollback: (runId: number) => void,
    options: { maxKnownRuns?: number; verifyCounts?: boolean } = {},
  ) {
    this.maxKnownRuns = options.maxKnownRuns ?? 1024;
    this.verifyCounts = options.verifyCounts ?? process.env.NASHUB_VERIFY_RUN_COUNTS === '1';
  }

  /** Serves `operation` on run `runId` in the next batch; answers its result once the batch committed. */
  submit<T>(runId: number, operation: RunOperation<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { operation, resolve: resolve as (value: unknown) => void, reject };
      const queue = this.waiting.get(runId);
      if (queue) {
        queue.push(pending);
        return;
      }
      this.waiting.set(runId, [pending]);
      void this.drain(runId);
    });
  }

  /** Serves the run's queue until it is empty; new operations join the queue while a batch runs. */
  private async drain(runId: number): Promise<void> {
    const queue = this.waiting.get(runId)!;
    while (queue.length > 0) await this.serve(runId, queue.splice(0, MAX_BATCH));
    this.waiting.delete(runId);
  }

  private async serve(runId: number, batch: Pending[]): Promise<void> {
    let outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }>;
    try {
      const served = await this.inTransaction(runId, batch);
      outcomes = served.outcomes;
      this.known.delete(runId);
      if (served.known) this.known.set(runId, served.known);
      evictOldest(this.known, this.maxKnownRuns);
    } catch (error) {
      this.known.delete(runId);
      this.onRollback(runId);
      // Started from a known state that was no longer the run's: nothing was written; served again, it reads the run.
      if (error instanceof StaleRunBatchError) {
        const next = this.afterStale.get(runId)?.next ?? 1;
        this.afterStale.delete(runId);
        this.afterStale.set(runId, { left: next, next: Math.min(2 * next, MAX_READING_AFTER_STALE) });
        evictOldest(this.afterStale, this.maxKnownRuns);
        return this.serve(runId, batch);
      }
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // One operation's failure must not become the others': each is served again on its own.
      for (const pending of batch) await this.serve(runId, [pending]);
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i].resolve(outcome.value) : batch[i].reject(outcome.error)));
  }

  /**
   * Serves a batch in one transaction. When this process's last batch on the run left its state known and the batch
   * names only trials known to be outstanding, the batch starts from that state, and the run's lock and the check that
   * the state is still the run's go with the writes and the COMMIT: one round trip (see {@link inRunBatch}). Else the
   * transaction is opened with the run's lock and the expiry in one round trip (the trials are read once the lock is
   * held: a read before it could predate a change committed while this transaction waited, another tell or an
   * expiry), and committed in the round trip of the batch's last writes.
   */
  private inTransaction(runId: number, batch: readonly Pending[]) {
    const trialIds = batch.flatMap((p) => (p.operation.trialId === undefined ? [] : [p.operation.trialId]));
    const known = this.known.get(runId);
    const state = known?.state;
    const stale = this.afterStale.get(runId);
    const reading = stale !== undefined && stale.left > 0;
    if (reading) stale.left--;
    const start =
      known && state && !reading && trialIds.every((id) => state.trials.has(id))
        ? {
            stamp: known.stamp,
            counts: known.counts,
            run: { ...state.run },
            trials: new Map(state.trials),
            verify: this.verifyCounts,
          }
        : undefined;
    return inRunBatch(
      this.dataSource,
      runId,
      trialIds,
      (opened, tx, open) => {
        if (!opened) throw new NashubError(ErrorCode.NOT_FOUND, `no search run ${runId}`, { details: { run: runId } });
        return this.inOpenBatch(tx, opened, batch, open, start !== undefined);
      },
      start,
    );
  }

  /**
   * Serves the batch's operations on the opened run (`fromKnown`: this process's known state of it, the lock not yet
   * taken: `open` takes it before any statement of the batch's own).
   */
  private async inOpenBatch(
    tx: EntityManager,
    opened: OpenedRunBatch,
    batch: readonly Pending[],
    open: () => Promise<void>,
    fromKnown: boolean,
  ) {
    const { run, trials } = opened;
    const known = this.known.get(run.id);
    // No one else changed the run since this process's last batch there: the row is still the version it wrote.
    const uncontended = fromKnown || known?.stamp === opened.stamp;
    const knownTrials = uncontended ? known?.state?.trials : undefined;
    // Stopped and finished runs have nothing outstanding to expire; their counts are not needed.
    let counts = NO_COUNTS;
    if (fromKnown) counts = known!.counts;
    else if (run.status === SearchRunStatus.RUNNING) {
      // The counts this process's last batch on the run left hold while the row is still the version it wrote: then
      // only the outstanding trials were read (to expire the lapsed), not all of them.
      const current = known?.stamp === opened.stamp ? known.counts : null;
      const counted = current === null || this.verifyCounts ? await countSearchTrials(tx, run.id) : null;
      counts = current === null ? counted! : afterExpiry(current, opened.expiredIds.length);
      if (current !== null && counted && !sameCounts(counts, counted))
        throw new Error(
          `search run ${run.id}: kept counts ${JSON.stringify(counts)} disagree with the store's ${JSON.stringify(counted)}`,
        );
    }
    const writes = new SearchRunWrites();
    // A statement of an operation's own may change what this process does not see: the state is then not kept.
    let ownStatements = false;
    const flushed = async () => {
      ownStatements = true;
      await open();
      await writes.flush(tx, run.id);
      return tx;
    };
    const ctx: RunBatchContext = { flushed, writes, run, counts: { ...counts }, trials };
    const outcomes: Array<{ ok: true; value: () => unknown } | { ok: false; error: unknown }> = [];
    for (const { operation } of batch) {
      try {
        operation.check?.(ctx);
      } catch (error) {
        if (!(error instanceof NashubError)) throw error;
        outcomes.push({ ok: false, error });
        continue;
      }
      outcomes.push({ ok: true, value: await operation.apply(ctx) });
    }
    return {
      writes,
      // Runs once the batch committed: an answer that cannot be read then fails its operation alone, and nothing is
      // served again (what it wrote is committed).
      done: (stamp: string) => ({
        outcomes: outcomes.map((outcome) => {
          if (!outcome.ok) return outcome;
          try {
            return { ok: true as const, value: outcome.value() };
          } catch (error) {
            return { ok: false as const, error };
          }
        }),
        // Counts are kept only for a run that was RUNNING: the others' are not counted.
        known:
          counts === NO_COUNTS
            ? null
            : {
                stamp,
                counts: ctx.counts,
                // Kept only where this batch found the run as this process left it: where other processes change
                // it too, a batch that started from it would find it changed, and its work would be thrown away.
                state:
                  ownStatements || !uncontended || run.status !== SearchRunStatus.RUNNING
                    ? null
                    : { run: { ...run }, trials: outstandingAfter(knownTrials, opened, ctx.trials, writes) },
              },
      }),
    };
  }
}
