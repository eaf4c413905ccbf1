import type { EntityManager } from 'typeorm';
import { SearchEventEntity } from '../entity/search-event.entity';
import { SearchTrialEntity } from '../entity/search-trial.entity';
import { entityColumns } from '../entity-columns';
import { runSelect, toRunRows, toTrialRows, type NewSearchRun, type SearchRunRow } from './search-run-rows';
import {
  SearchEventKind,
  SearchTrialState,
  type SearchRunStatusValue,
  type SearchTrialStateValue,
} from './search-run-vocabulary';

/** Inserts a RUNNING run at version 0. */
export async function insertSearchRun(manager: EntityManager, run: NewSearchRun): Promise<SearchRunRow> {
  const [{ id }] = (await manager.query(
    `INSERT INTO search_run (space, dataset_id, preset, fidelities, observe, final_protocol, final_metric, strategy,
                             strategy_options, seed, mode, budget_seconds, budget_evaluations, lease_seconds, created_by)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15) RETURNING id`,
    [
      run.space,
      run.datasetId,
      run.preset,
      JSON.stringify(run.fidelities),
      run.observe,
      run.finalProtocol,
      run.finalMetric,
      run.strategy,
      JSON.stringify(run.strategyOptions),
      run.seed,
      run.mode,
      run.budgetSeconds,
      run.budgetEvaluations,
      run.leaseSeconds,
      run.createdBy,
    ],
  )) as Array<{ id: number }>;
  return (await findSearchRun(manager, id))!;
}

/** One run, or null; `lock` takes the run's row lock (FOR UPDATE): every change to a run happens under it. */
export async function findSearchRun(
  manager: EntityManager,
  id: number,
  options: { lock?: boolean } = {},
): Promise<SearchRunRow | null> {
  const rows: Record<string, unknown>[] = await manager.query(
    `${runSelect(manager)} WHERE r.id = $1${options.lock ? ' FOR UPDATE OF r' : ''}`,
    [id],
  );
  return toRunRows(manager, rows)[0] ?? null;
}

/** Filter of {@link listSearchRuns}. */
export interface SearchRunFilter {
  statuses?: readonly SearchRunStatusValue[];
  space?: string;
  datasetId?: number;
  strategy?: string;
}

/** Runs matching a filter, newest first, `first` after the run `afterId`. */
export async function listSearchRuns(
  manager: EntityManager,
  filter: SearchRunFilter,
  page: { first: number; afterId: number | null },
): Promise<{ rows: SearchRunRow[]; hasNextPage: boolean; totalCount: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (filter.statuses?.length) add('r.status = ANY(?::text[])', [...filter.statuses]);
  if (filter.space !== undefined) add('r.space = ?', filter.space);
  if (filter.datasetId !== undefined) add('r.dataset_id = ?', filter.datasetId);
  if (filter.strategy !== undefined) add('r.strategy = ?', filter.strategy);
  const filtered = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [{ count }] = (await manager.query(
    `SELECT count(*)::int AS count FROM search_run r ${filtered}`,
    params,
  )) as Array<{ count: number }>;
  const pageWhere = [...where];
  const pageParams = [...params];
  if (page.afterId !== null) {
    pageParams.push(page.afterId);
    pageWhere.push(`r.id < $${pageParams.length}`);
  }
  pageParams.push(page.first + 1);
  const rows: Record<string, unknown>[] = await manager.query(
    `${runSelect(manager)} ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''}
      ORDER BY r.id DESC LIMIT $${pageParams.length}`,
    pageParams,
  );
  const runs = toRunRows(manager, rows);
  return { rows: runs.slice(0, page.first), hasNextPage: runs.length > page.first, totalCount: count };
}

/** Sets a run's status (and finished_at when it leaves RUNNING). */
export async function setSearchRunStatus(
  manager: EntityManager,
  id: number,
  status: SearchRunStatusValue,
): Promise<void> {
  await manager.query(
    `UPDATE search_run SET status = $2::text, finished_at = CASE WHEN $2::text = 'RUNNING' THEN NULL ELSE now() END WHERE id = $1`,
    [id, status],
  );
}

/** Stops a run asking its strategy (see {@link SearchRunEntity.asking}). */
export async function closeSearchRunAsking(manager: EntityManager, id: number): Promise<void> {
  await manager.query(`UPDATE search_run SET asking = false WHERE id = $1`, [id]);
}

/** One logged event, with what replaying it needs. */
export interface SearchEventRow {
  seq: number;
  kind: SearchEventEntity['kind'];
  /** ASK: the n asked for. */
  n: number | null;
  /** ASK: the ids of the suggestions the ask produced that became trials, in trial order. */
  archIds: string[];
  /** TELL: the trial told. */
  trial: SearchTrialEntity | null;
}

/** The run's events from `fromSeq` on, in order. */
export async function loadSearchEvents(
  manager: EntityManager,
  runId: number,
  fromSeq: number,
): Promise<SearchEventRow[]> {
  const events: Array<{ seq: number; kind: SearchEventEntity['kind']; n: number | null; trial_id: number | null }> =
    await manager.query(
      `SELECT seq, kind, n, trial_id FROM search_event WHERE run_id = $1 AND seq >= $2 ORDER BY seq`,
      [runId, fromSeq],
    );
  if (events.length === 0) return [];
  const trials = toTrialRows(
    manager,
    await manager.query(
      `SELECT ${entityColumns(manager, SearchTrialEntity, 't')} FROM search_trial t
        WHERE t.run_id = $1 AND (t.ask_seq >= $2 OR t.id = ANY($3::int[])) ORDER BY t.number`,
      [runId, fromSeq, events.flatMap((e) => (e.trial_id === null ? [] : [e.trial_id]))],
    ),
  );
  const byId = new Map(trials.map((t) => [t.id, t]));
  const byAsk = new Map<number, string[]>();
  for (const t of trials) if (t.askSeq !== null) byAsk.set(t.askSeq, [...(byAsk.get(t.askSeq) ?? []), t.archId]);
  return events.map((e) => ({
    seq: e.seq,
    kind: e.kind,
    n: e.n,
    archIds: e.kind === SearchEventKind.ASK ? (byAsk.get(e.seq) ?? []) : [],
    trial: e.trial_id === null ? null : (byId.get(e.trial_id) ?? null),
  }));
}

/** The run a trial belongs to, or null when there is no such trial. */
export async function findRunIdOfTrial(manager: EntityManager, trialId: number): Promise<number | null> {
  const rows = (await manager.query(`SELECT run_id FROM search_trial WHERE id = $1`, [trialId])) as Array<{
    run_id: number;
  }>;
  return rows.length === 0 ? null : Number(rows[0].run_id);
}

/** A trial to hand out. */
export interface NewSearchTrial {
  archId: string;
  arch: string;
  fidelity: number;
  simulatedValue: number | null;
  simulatedCost: number | null;
  askSeq: number | null;
  retryOf: number | null;
}

/** EXPIRED trials of the run not yet asked again, oldest first. */
export async function trialsToRetry(
  manager: EntityManager,
  runId: number,
  limit: number,
): Promise<SearchTrialEntity[]> {
  return toTrialRows(
    manager,
    await manager.query(
      `SELECT ${entityColumns(manager, SearchTrialEntity, 't')} FROM search_trial t
        WHERE t.run_id = $1 AND t.state = 'EXPIRED'
          AND NOT EXISTS (SELECT 1 FROM search_trial r WHERE r.retry_of = t.id)
        ORDER BY t.number LIMIT $2`,
      [runId, limit],
    ),
  );
}

/** Where a run's budget stands. */
export interface SearchRunCounts {
  /** Trials TOLD. */
  told: number;
  failed: number;
  /** Trials ASKED or RUNNING. */
  outstanding: number;
  /** EXPIRED trials not yet asked again. */
  toRetry: number;
  /** Trials that count against an evaluation budget: every one not EXPIRED. */
  spentEvaluations: number;
  /** Sum of told cost. */
  toldSeconds: number;
  /** Told cost plus the simulated cost of outstanding trials and of expired ones waiting to be asked again. */
  committedSeconds: number;
}

/** One trial, or null; `lock` takes its row lock. */
export async function findSearchTrial(manager: EntityManager, id: number): Promise<SearchTrialEntity | null> {
  return (
    toTrialRows(
      manager,
      await manager.query(
        `SELECT ${entityColumns(manager, SearchTrialEntity, 't')} FROM search_trial t WHERE t.id = $1`,
        [id],
      ),
    )[0] ?? null
  );
}

/** Trials by id. */
export async function findSearchTrials(
  manager: EntityManager,
  ids: readonly number[],
): Promise<Map<number, SearchTrialEntity>> {
  const rows = toTrialRows(
    manager,
    await manager.query(
      `SELECT ${entityColumns(manager, SearchTrialEntity, 't')} FROM search_trial t WHERE t.id = ANY($1::int[])`,
      [[...new Set(ids)]],
    ),
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** Moves a trial to `state` (RUNNING with a renewed lease, FAILED with a reason). */
export async function updateTrialState(
  manager: EntityManager,
  trialId: number,
  change: { state: SearchTrialStateValue; leaseSeconds?: number; reason?: string },
): Promise<SearchTrialEntity> {
  const [row] = toTrialRows(
    manager,
    await manager.query(
      `UPDATE search_trial t
          SET state = $2::text,
              lease_expires_at = CASE WHEN $3::float8 IS NULL THEN (CASE WHEN $2::text IN ('ASKED', 'RUNNING') THEN lease_expires_at END)
                                      ELSE clock_timestamp() + make_interval(secs => $3::float8) END,
              reason = coalesce($4::text, reason),
              told_at = CASE WHEN $2::text = '${SearchTrialState.FAILED}' THEN clock_timestamp() ELSE told_at END
        WHERE t.id = $1
        RETURNING ${entityColumns(manager, SearchTrialEntity, 't')}`,
      [trialId, change.state, change.leaseSeconds ?? null, change.reason ?? null],
    ),
  );
  return row;
}

/** A run's trials by number, optionally of some states, `first` after number `afterNumber`. */
export async function listSearchTrials(
  manager: EntityManager,
  runId: number,
  filter: { states?: readonly SearchTrialStateValue[] },
  page: { first: number; afterNumber: number | null },
): Promise<{ rows: SearchTrialEntity[]; hasNextPage: boolean; totalCount: number }> {
  const states = filter.states?.length ? [...filter.states] : null;
  const [{ count }] = (await manager.query(
    `SELECT count(*)::int AS count FROM search_trial WHERE run_id = $1 AND ($2::text[] IS NULL OR state = ANY($2::text[]))`,
    [runId, states],
  )) as Array<{ count: number }>;
  const rows = toTrialRows(
    manager,
    await manager.query(
      `SELECT ${entityColumns(manager, SearchTrialEntity, 't')} FROM search_trial t
        WHERE t.run_id = $1 AND ($2::text[] IS NULL OR t.state = ANY($2::text[])) AND t.number > $3
        ORDER BY t.number LIMIT $4`,
      [runId, states, page.afterNumber ?? -1, page.first + 1],
    ),
  );
  return { rows: rows.slice(0, page.first), hasNextPage: rows.length > page.first, totalCount: count };
}

/**
 * Each run's TOLD trials in tell order (its trajectory and its answer), by run id, in one statement for any number of
 * runs; a run with none (or no such run) has an empty list.
 */
export async function listToldTrials(
  manager: EntityManager,
  runIds: readonly number[],
): Promise<Map<number, SearchTrialEntity[]>> {
  const out = new Map<number, SearchTrialEntity[]>(runIds.map((id) => [id, []]));
  if (runIds.length === 0) return out;
  const rows = toTrialRows(
    manager,
    await manager.query(
      `SELECT ${entityColumns(manager, SearchTrialEntity, 't')} FROM search_trial t
        WHERE t.run_id = ANY($1::int[]) AND t.state = 'TOLD' ORDER BY t.run_id, t.told_index`,
      [runIds],
    ),
  );
  for (const row of rows) out.get(row.runId)?.push(row);
  return out;
}
