import type { EntityManager } from 'typeorm';
import { rowsOf } from '../rows-of';
import { toTrainingJobRows, trainingJobSelect, type TrainingJobRow } from './training-job-row';
import type { TrainingJobStatusValue } from './training-job-status';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `id` can be a job id (a UUID); other strings name no job. */
export function isTrainingJobId(id: string): boolean {
  return UUID.test(id);
}

/** One job by id, or null (also for ids that are not UUIDs). */
export async function findTrainingJob(manager: EntityManager, id: string): Promise<TrainingJobRow | null> {
  if (!isTrainingJobId(id)) return null;
  const rows = rowsOf(await manager.query(`${trainingJobSelect(manager)} WHERE j.id = $1`, [id]));
  return rows.length > 0 ? toTrainingJobRows(manager, rows)[0] : null;
}

/** Jobs by id, in one statement; ids not found are absent. */
export async function findTrainingJobs(
  manager: EntityManager,
  ids: readonly string[],
): Promise<Map<string, TrainingJobRow>> {
  const valid = [...new Set(ids.filter(isTrainingJobId))];
  if (valid.length === 0) return new Map();
  const rows = rowsOf(await manager.query(`${trainingJobSelect(manager)} WHERE j.id = ANY($1::uuid[])`, [valid]));
  return new Map(toTrainingJobRows(manager, rows).map((row) => [row.id, row]));
}

/** Which jobs to list; every field narrows. */
export interface TrainingJobFilter {
  statuses?: readonly TrainingJobStatusValue[];
  space?: string;
  datasetId?: number;
  protocolId?: number;
}

/** A page of jobs. */
export interface TrainingJobPage {
  rows: TrainingJobRow[];
  totalCount: number;
  hasNextPage: boolean;
}

/**
 * Jobs newest first (created_at, then id, both descending), `first` of them after the job `afterId`. The cursor is a
 * job id: its (created_at, id) is read in the statement, so timestamps never round-trip through JavaScript's
 * millisecond dates. An `afterId` that names no job gives an empty page.
 */
export async function listTrainingJobs(
  manager: EntityManager,
  filter: TrainingJobFilter,
  page: { first: number; afterId: string | null },
): Promise<TrainingJobPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (filter.statuses && filter.statuses.length > 0) add('j.status = ANY(?::text[])', [...filter.statuses]);
  if (filter.space !== undefined) add('a.space = ?', filter.space);
  if (filter.datasetId !== undefined) add('j.dataset_id = ?', filter.datasetId);
  if (filter.protocolId !== undefined) add('j.protocol_id = ?', filter.protocolId);
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total: Array<{ n: number }> = await manager.query(
    `SELECT count(*)::int AS n FROM training_job j JOIN architecture a ON a.id = j.architecture_id ${whereSql}`,
    params,
  );
  const pageWhere = [...where];
  const pageParams = [...params];
  if (page.afterId !== null) {
    pageParams.push(page.afterId);
    pageWhere.push(
      `(j.created_at, j.id) < (SELECT c.created_at, c.id FROM training_job c WHERE c.id = $${pageParams.length})`,
    );
  }
  pageParams.push(page.first + 1);
  const rows = rowsOf(
    await manager.query(
      `${trainingJobSelect(manager)} ${pageWhere.length > 0 ? `WHERE ${pageWhere.join(' AND ')}` : ''}
        ORDER BY j.created_at DESC, j.id DESC LIMIT $${pageParams.length}`,
      pageParams,
    ),
  );
  return {
    totalCount: total[0].n,
    hasNextPage: rows.length > page.first,
    rows: toTrainingJobRows(manager, rows.slice(0, page.first)),
  };
}
