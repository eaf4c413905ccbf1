import type { EntityManager } from 'typeorm';
import { METRIC_COLUMNS, type ReleaseRow } from './release-columns';
import type { ReleaseRun } from './query-release-runs';

/** Runs whose curves one query reads: a few hundred thousand rows at most for 200-epoch curves. */
export const RUNS_PER_QUERY = 500;

/** Curve rows of the runs, in the runs' order and then by epoch, a few hundred runs per chunk. */
export async function* queryReleaseCurves(
  manager: EntityManager,
  runs: readonly ReleaseRun[],
): AsyncGenerator<ReleaseRow[]> {
  for (let start = 0; start < runs.length; start += RUNS_PER_QUERY) {
    const batch = runs.slice(start, start + RUNS_PER_QUERY);
    const points: Array<ReleaseRow & { i: number }> = await manager.query(
      `SELECT o.i::int AS i, e.epoch, ${METRIC_COLUMNS.map((c) => `e.${c}`).join(', ')}, e.epoch_seconds
         FROM unnest($1::int[]) WITH ORDINALITY AS o(run_id, i)
         JOIN run_epoch e ON e.run_id = o.run_id
        ORDER BY o.i, e.epoch`,
      [batch.map((run) => run.runId)],
    );
    yield points.map(({ i, ...point }) => {
      const { space, arch, arch_id, dataset, protocol, seed } = batch[i - 1].row;
      return { space, arch, arch_id, dataset, protocol, seed, ...point };
    });
  }
}
