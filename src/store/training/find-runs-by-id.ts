import type { EntityManager } from 'typeorm';
import { RUN_ROW_COLUMNS, RUN_ROW_FROM, toRunRow, type RunRow } from '../run/list-runs';

/** Runs by id, whatever their status (a job's run is RUNNING while it trains), in one statement. */
export async function findRunsById(manager: EntityManager, ids: readonly number[]): Promise<Map<number, RunRow>> {
  if (ids.length === 0) return new Map();
  const rows: Array<Record<string, unknown>> = await manager.query(
    `SELECT ${RUN_ROW_COLUMNS} ${RUN_ROW_FROM} WHERE r.id = ANY($1::int[])`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id as number, toRunRow(r)]));
}
