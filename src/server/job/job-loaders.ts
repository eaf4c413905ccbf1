import DataLoader from 'dataloader';
import type { CurveResult } from '../../store/record/load-curves';
import type { RunRow } from '../../store/run/list-runs';
import { findRunsById, loadRunCurves } from '../../store/training';
import type { RequestContext } from '../context.type';

/** Per-request loaders of job fields (a run's curve so far, a run row), so a page of jobs costs one query per field. */
export interface JobLoaders {
  curve: DataLoader<number, CurveResult | null>;
  run: DataLoader<number, RunRow | null>;
}

const byContext = new WeakMap<object, JobLoaders>();

/** This request's job loaders, made on first use (kept beside the shared loaders rather than in them). */
export function jobLoaders(ctx: RequestContext): JobLoaders {
  let loaders = byContext.get(ctx);
  if (!loaders) {
    const manager = ctx.store.dataSource.manager;
    loaders = {
      curve: new DataLoader(async (ids) => {
        const found = await loadRunCurves(manager, ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
      run: new DataLoader(async (ids) => {
        const found = await findRunsById(manager, ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
    };
    byContext.set(ctx, loaders);
  }
  return loaders;
}
