import {
  resolveRecordTarget as resolveTarget,
  type CatalogSource,
  type RecordTarget,
  type RecordTargetArgs,
} from '../../catalog';
import type { RequestContext } from '../context.type';

export type { RecordTarget, RecordTargetArgs } from '../../catalog';

/** The request's catalog: the server's per-process cache, read again on a miss. */
export function requestCatalog(ctx: RequestContext): CatalogSource {
  return { get: () => ctx.loaders.catalog(), refresh: () => ctx.loaders.refreshCatalog() };
}

/** {@link resolveTarget} over the request's catalog. */
export function resolveRecordTarget(ctx: RequestContext, args: RecordTargetArgs): Promise<RecordTarget> {
  return resolveTarget(requestCatalog(ctx), args);
}
