import type { EntityManager } from 'typeorm';

/** The NOTIFY channel of search run events. */
export const SEARCH_EVENT_CHANNEL = 'nashub_search';

/** What happened to a run. */
export const SearchRunEventKind = {
  ASKED: 'ASKED',
  TOLD: 'TOLD',
  FAILED: 'FAILED',
  EXPIRED: 'EXPIRED',
  FINISHED: 'FINISHED',
  STOPPED: 'STOPPED',
} as const;
/** One of {@link SearchRunEventKind}'s values. */
export type SearchRunEventKindValue = (typeof SearchRunEventKind)[keyof typeof SearchRunEventKind];

/** A NOTIFY payload: the run, what happened, and the trial it happened to (none for FINISHED and STOPPED). */
export interface SearchRunNotice {
  runId: number;
  kind: SearchRunEventKindValue;
  trialId: number | null;
}

/** Queues the notice for delivery when the caller's transaction commits. */
export async function notifySearchRunEvent(manager: EntityManager, notice: SearchRunNotice): Promise<void> {
  await manager.query('SELECT pg_notify($1, $2)', [SEARCH_EVENT_CHANNEL, JSON.stringify(notice)]);
}

/** Parses a NOTIFY payload; null when it is not a search run notice. */
export function parseSearchRunNotice(payload: string): SearchRunNotice | null {
  try {
    const value = JSON.parse(payload) as Partial<SearchRunNotice>;
    if (
      typeof value.runId === 'number' &&
      typeof value.kind === 'string' &&
      value.kind in SearchRunEventKind &&
      (value.trialId === null || typeof value.trialId === 'number')
    )
      return { runId: value.runId, kind: value.kind, trialId: value.trialId };
  } catch {
    // Not ours.
  }
  return null;
}
