import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { SearchTrialEntity } from '../entity/search-trial.entity';
import { entityColumns } from '../entity-columns';
import { runScript } from '../run-script';
import { sqlLiteral } from '../sql-literal';
import { SEARCH_EVENT_CHANNEL } from './search-run-event';
import type { SearchRunWrites } from './search-run-writes';
import { runSelect, toRunRows, toTrialRows, type SearchRunRow } from './search-run-rows';
import type { SearchRunCounts } from './search-run-store';
import { SearchTrialState } from './search-run-vocabulary';

/** What {@link openRunBatch} answers: the run as locked, and its trials as the expiry left them. */
export interface OpenedRunBatch {
  run: SearchRunRow;
  /**
   * The stamp of the run row's version (its `xmin`): every batch moves the row on (see `SearchRunWrites.flush`), so a
   * stamp this process saw at the end of its last batch means no one else changed the run since.
   */
  stamp: string;
  /** The trials the expiry expired, by id. */
  expiredIds: number[];
  /** The trials named, as they stand after the expiry. */
  trials: Map<number, SearchTrialEntity>;
}

/** What the work of a batch ({@link inRunBatch}) leaves to write at its end, and how to answer once it is committed. */
export interface RunBatchEnd<T> {
  /** The batch's queued writes: sent with the COMMIT. */
  writes: SearchRunWrites;
  /** The batch's answer once it committed, given the stamp of the run row's version its last writes left. */
  done(stamp: string): T;
}

/**
 * What a process knew of a run at the end of its last batch there, from which the next batch may start without
 * reading the run ({@link inRunBatch}'s `known`): the run's row and its outstanding trials as that batch left them.
 */
export interface KnownRunState {
  /** The stamp of the run row's version that batch wrote. */
  stamp: string;
  run: SearchRunRow;
  /** The run's ASKED and RUNNING trials, by id (a copy the batch may change). */
  trials: Map<number, SearchTrialEntity>;
  /**
   * The run's counts as that batch left them: with `verify`, the batch's first statement after the lock checks the
   * stored trials agree (the tests' cross-check of the kept counts).
   */
  counts?: SearchRunCounts;
}

/** A batch started from a {@link KnownRunState} that was no longer the run's: nothing of it was written. */
export class StaleRunBatchError extends Error {
  constructor(readonly runId: number) {
    super(`search run ${runId} changed since this process's last batch there`);
  }
}

/** Marks the messages of the checks that make a known state stale (see {@link knownStateChecks}). */
const STALE_MARK = 'nashub: stale run batch';

/**
 * Runs `work` in a batch of changes to a run on a connection of its own, and commits it.
 *
 * Without `known`: opened with BEGIN, the run's lock and the expiry in one round trip ({@link openRunBatch}; `work`
 * gets what it found, null when there is no such run), closed with the batch's last writes and COMMIT in another
 * ({@link SearchRunWrites.commit}).
 *
 * With `known` (the run as this process's last batch there left it, and every trial the batch names among its
 * outstanding ones): `work` starts from it without a round trip, and the lock is taken in the round trip of the
 * writes and the COMMIT, whose first statements check the run is still as known: the row's version is the one this
 * process wrote last, and no lease has lapsed (an expiry would change trials). A batch that must send a statement of
 * its own first (`open`) takes the lock and makes the checks then. When a check fails, nothing was written and the
 * batch fails with {@link StaleRunBatchError}: served again without `known`, it reads the run.
 *
 * Rolled back on any error.
 */
export async function inRunBatch<T>(
  dataSource: DataSource,
  runId: number,
  trialIds: readonly number[],
  work: (opened: OpenedRunBatch | null, tx: EntityManager, open: () => Promise<void>) => Promise<RunBatchEnd<T>>,
  known?: KnownRunState & { verify: boolean },
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  let end: RunBatchEnd<T>;
  let stamp: string;
  let opened = known === undefined;
  const checks = known === undefined ? '' : knownStateChecks(runId, known);
  const open = async () => {
    if (opened) return;
    await runScript(runner, `BEGIN;\n${checks}`);
    opened = true;
  };
  try {
    if (known === undefined) end = await work(await openRunBatch(runner, runId, trialIds), runner.manager, open);
    else
      end = await work(
        { run: known.run, stamp: known.stamp, expiredIds: [], trials: known.trials },
        runner.manager,
        open,
      );
    stamp = await end.writes.commit(runner, runId, opened ? '' : `BEGIN;\n${checks}`);
  } catch (error) {
    // As TypeORM's transactions do: a connection that cannot roll back is broken, and the pool drops it.
    await runner.query('ROLLBACK').catch(() => undefined);
    if (known !== undefined && error instanceof Error && error.message.includes(STALE_MARK))
      throw new StaleRunBatchError(runId);
    throw error;
  } finally {
    await runner.release();
  }
  // Committed: whatever `done` throws, the batch's writes stay.
  return end.done(stamp);
}

/**
 * The statements that take a run's lock and check it is still as `known` says, each failing with {@link STALE_MARK}:
 * the row's version (its `xmin`, read under the lock: a change committed while this waited is the version it reads),
 * no lapsed lease (each in a statement of its own, so with a snapshot taken after the lock), and with `verify` the
 * kept counts against the stored trials.
 */
function knownStateChecks(runId: number, known: KnownRunState & { verify: boolean }): string {
  const run = `${sqlLiteral(runId)}::int`;
  const stale = (why: string) => sqlLiteral(`${STALE_MARK}: search run ${runId}: ${why}`);
  let text = `SELECT nashub_check(locked.stamp IS NOT DISTINCT FROM ${sqlLiteral(known.stamp)}, ${stale('another version')})
       FROM (SELECT 1) one LEFT JOIN (SELECT xmin::text AS stamp FROM search_run WHERE id = ${run} FOR UPDATE) locked ON true;
     SELECT nashub_check(NOT EXISTS (SELECT 1 FROM search_trial WHERE run_id = ${run} AND state IN ('ASKED', 'RUNNING')
                                        AND lease_expires_at < clock_timestamp()), ${stale('a lease lapsed')});`;
  if (known.verify && known.counts) {
    const c = known.counts;
    const close = (column: string, value: number) =>
      `abs(${column} - ${sqlLiteral(value)}::float8) <= 1e-9 * greatest(1, abs(${sqlLiteral(value)}::float8))`;
    text += `
     SELECT nashub_check(c_told = ${sqlLiteral(c.told)} AND c_failed = ${sqlLiteral(c.failed)}
                         AND c_outstanding = ${sqlLiteral(c.outstanding)} AND c_to_retry = ${sqlLiteral(c.toRetry)}
                         AND c_spent = ${sqlLiteral(c.spentEvaluations)} AND ${close('c_told_seconds', c.toldSeconds)}
                         AND ${close('c_committed_seconds', c.committedSeconds)},
                         format('search run %s: kept counts %s disagree with the store''s', ${run}, ${sqlLiteral(JSON.stringify(c))}))
       FROM (${countTrialsSql(run)}) counted;`;
  }
  return text;
}

/**
 * Opens a batch of changes to a run on `runner`'s connection, in one round trip: BEGIN; the run's row lock (FOR
 * UPDATE: every change to a run happens under it), answering the run; then, in a statement of its own (and so with a
 * snapshot taken after the lock: it sees every change committed before it), the expiry of a RUNNING run's lapsed
 * leases (each NOTIFYed as EXPIRED) and the trials `trialIds` names. Null when there is no such run. The transaction
 * stays open either way: the caller commits it or rolls it back.
 */
export async function openRunBatch(
  runner: QueryRunner,
  runId: number,
  trialIds: readonly number[],
): Promise<OpenedRunBatch | null> {
  const { manager } = runner;
  const run = `${sqlLiteral(runId)}::int`;
  const results = await runScript(
    runner,
    `BEGIN;
     ${runSelect(manager, ', r.xmin::text AS stamp')} WHERE r.id = ${run} FOR UPDATE OF r;
     WITH expired AS (
       UPDATE search_trial SET state = 'EXPIRED'
        WHERE run_id = ${run} AND state IN ('ASKED', 'RUNNING') AND lease_expires_at < clock_timestamp()
          AND EXISTS (SELECT 1 FROM search_run WHERE id = ${run} AND status = 'RUNNING')
        RETURNING id
     ), head AS (
       SELECT coalesce((SELECT array_agg(id ORDER BY id) FROM expired), '{}') AS c_expired_ids,
              (SELECT count(pg_notify(${sqlLiteral(SEARCH_EVENT_CHANNEL)},
                                      json_build_object('runId', ${run}, 'kind', 'EXPIRED', 'trialId', id)::text))
                 FROM expired)::int AS c_notified
     )
     SELECT head.*, ${entityColumns(manager, SearchTrialEntity, 's')}
       FROM head LEFT JOIN search_trial s ON s.id = ANY(${sqlLiteral([...new Set(trialIds)])}::int[])`,
  );
  const [locked, rows] = [results[1], results[2]];
  const [found] = toRunRows(manager, locked);
  if (!found) return null;
  const expiredIds = (rows[0].c_expired_ids as number[]).map(Number);
  const expired = new Set(expiredIds);
  // The statement's snapshot predates its own expiry: a named trial it expired is read as it was before.
  const trials = toTrialRows(
    manager,
    rows.filter((r) => r.id !== null),
  ).map((trial) => (expired.has(trial.id) ? { ...trial, state: SearchTrialState.EXPIRED } : trial));
  return {
    run: found,
    stamp: locked[0].stamp as string,
    expiredIds,
    trials: new Map(trials.map((trial) => [trial.id, trial])),
  };
}

/**
 * Counts a run's trials (a scan of all of them), for a batch that does not know the counts from its own last batch on
 * the run; inside the batch's transaction, after {@link openRunBatch}'s expiry.
 */
export async function countSearchTrials(manager: EntityManager, runId: number): Promise<SearchRunCounts> {
  const [row] = (await manager.query(countTrialsSql('$1'), [runId])) as Array<Record<string, unknown>>;
  return {
    told: Number(row.c_told),
    failed: Number(row.c_failed),
    outstanding: Number(row.c_outstanding),
    toRetry: Number(row.c_to_retry),
    spentEvaluations: Number(row.c_spent),
    toldSeconds: Number(row.c_told_seconds),
    committedSeconds: Number(row.c_committed_seconds),
  };
}

/** The statement that counts run `run`'s trials (`run`: a parameter or a literal), one row of `c_…` columns. */
function countTrialsSql(run: string): string {
  return `WITH t AS (
       SELECT s.id, s.state, s.cost, s.simulated_cost FROM search_trial s WHERE s.run_id = ${run}
     ), pending AS (
       SELECT t.* FROM t WHERE t.state = 'EXPIRED' AND NOT EXISTS (SELECT 1 FROM search_trial r WHERE r.retry_of = t.id)
     )
     SELECT count(*) FILTER (WHERE state = 'TOLD')::int AS c_told,
            count(*) FILTER (WHERE state = 'FAILED')::int AS c_failed,
            count(*) FILTER (WHERE state IN ('ASKED', 'RUNNING'))::int AS c_outstanding,
            (SELECT count(*) FROM pending)::int AS c_to_retry,
            count(*) FILTER (WHERE state <> 'EXPIRED')::int AS c_spent,
            coalesce(sum(cost) FILTER (WHERE state = 'TOLD'), 0)::float8 AS c_told_seconds,
            coalesce(sum(coalesce(cost, simulated_cost, 0)) FILTER (WHERE state NOT IN ('EXPIRED', 'FAILED')), 0)::float8
              + coalesce((SELECT sum(simulated_cost) FROM pending), 0)::float8 AS c_committed_seconds
       FROM t`;
}
