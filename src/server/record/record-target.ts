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

/** Targets a request has resolved (or is resolving), by their arguments: the items of a batch name the same few. */
const resolved = new WeakMap<RequestContext['loaders'], Map<string, RecordTarget | Promise<RecordTarget>>>();

/**
 * {@link resolveTarget} over the request's catalog, once per request for the same arguments: a promise the first
 * time, then the target itself, so the other items of a batch go on without waiting for a turn of the microtask queue.
 */
export function resolveRecordTarget(ctx: RequestContext, args: RecordTargetArgs): RecordTarget | Promise<RecordTarget> {
  let targets = resolved.get(ctx.loaders);
  if (!targets) resolved.set(ctx.loaders, (targets = new Map()));
  const key = `${args.space}\u0000${args.dataset}\u0000${args.protocol ?? ''}\u0000${args.epoch ?? ''}`;
  let target = targets.get(key);
  if (!target) {
    const resolving = resolveTarget(requestCatalog(ctx), args);
    targets.set(key, (target = resolving));
    resolving.then(
      (value) => targets.set(key, value),
      () => undefined, // the callers of this promise see the error
    );
  }
  return target;
}
