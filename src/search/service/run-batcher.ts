import type { DataSource, EntityManager } from 'typeorm';
import { ErrorCode, NashubError } from '../../core';
import type { SearchTrialEntity } from '../../store/entity/search-trial.entity';
import {
  expireAndCountTrials,
  findSearchRun,
  findSearchTrials,
  SearchRunStatus,
  SearchRunWrites,
  type SearchRunCounts,
  type SearchRunRow,
} from '../../store/search';

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

  /**
   * @param dataSource where the transactions run.
   * @param onRollback called with the run's id when a transaction did not commit (in-memory state derived from it
   *   must be dropped).
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly onRollback: (runId: number) => void,
  ) {}

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
      outcomes = await this.dataSource.transaction((tx) => this.inTransaction(tx, runId, batch));
    } catch (error) {
      this.onRollback(runId);
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

  private async inTransaction(tx: EntityManager, runId: number, batch: readonly Pending[]) {
    const run = await findSearchRun(tx, runId, { lock: true });
    if (!run) throw new NashubError(ErrorCode.NOT_FOUND, `no search run ${runId}`, { details: { run: runId } });
    // The trials are read now that the lock is held: a read before it could predate a change committed while this
    // transaction waited (another tell, an expiry). Stopped and finished runs have nothing outstanding to expire; their
    // counts are not needed.
    const trialIds = batch.flatMap((p) => (p.operation.trialId === undefined ? [] : [p.operation.trialId]));
    const { counts, trials } =
      run.status === SearchRunStatus.RUNNING
        ? await expireAndCountTrials(tx, run.id, trialIds)
        : {
            counts: NO_COUNTS,
            trials: trialIds.length > 0 ? await findSearchTrials(tx, trialIds) : new Map<number, SearchTrialEntity>(),
          };
    const writes = new SearchRunWrites();
    const flushed = async () => {
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
    await writes.flush(tx, run.id);
    return outcomes.map((outcome) => (outcome.ok ? { ok: true as const, value: outcome.value() } : outcome));
  }
}
