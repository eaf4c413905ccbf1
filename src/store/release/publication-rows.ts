import type { EntityManager } from 'typeorm';
import { PublicationStatus, type PublicationStatusValue } from './publication-status';
import type { ReleaseFilter } from './release-manifest';

/** A queued release publication as read. */
export interface PublicationRow {
  id: string;
  name: string;
  version: string;
  filters: ReleaseFilter;
  status: PublicationStatusValue;
  progress: number;
  error: { code: string; message: string } | null;
  createdAt: Date;
  finishedAt: Date | null;
}

const COLUMNS = `id, name, version, filters, status, progress, error, created_at AS "createdAt", finished_at AS "finishedAt"`;

/** Inserts a QUEUED publication (in the caller's transaction, beside its pg-boss job). */
export async function insertPublication(
  manager: EntityManager,
  publication: { id: string; name: string; version: string; filters: ReleaseFilter },
): Promise<PublicationRow> {
  const [row]: PublicationRow[] = await manager.query(
    `INSERT INTO release_publication (id, name, version, filters) VALUES ($1, $2, $3, $4::jsonb) RETURNING ${COLUMNS}`,
    [publication.id, publication.name, publication.version, JSON.stringify(publication.filters)],
  );
  return row;
}

/** The publication with this id, or null. */
export async function findPublication(manager: EntityManager, id: string): Promise<PublicationRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row]: PublicationRow[] = await manager.query(`SELECT ${COLUMNS} FROM release_publication WHERE id = $1`, [id]);
  return row ?? null;
}

/** The PostgreSQL channel of {@link PublicationNotice}s, so every server process can feed its subscriptions. */
export const PUBLICATION_EVENT_CHANNEL = 'nashub_publication';

/** The payload of a NOTIFY on {@link PUBLICATION_EVENT_CHANNEL}: a publication's row changed to this. */
export interface PublicationNotice {
  id: string;
  status: PublicationStatusValue;
  progress: number;
}

/**
 * Sets a publication's status and progress; a final status stamps `finished_at`. The same statement NOTIFYs the change
 * (delivered when it commits), so subscribers hear of every write whoever makes it.
 */
export async function updatePublication(
  manager: EntityManager,
  id: string,
  change: { status: PublicationStatusValue; progress: number; error?: { code: string; message: string } | null },
): Promise<void> {
  const final = change.status === PublicationStatus.PUBLISHED || change.status === PublicationStatus.FAILED;
  await manager.query(
    `WITH changed AS (
       UPDATE release_publication SET status = $2, progress = $3, error = $4::jsonb,
              finished_at = CASE WHEN $5::boolean THEN now() ELSE NULL END
        WHERE id = $1
       RETURNING id, status, progress)
     SELECT pg_notify($6, json_build_object('id', id, 'status', status, 'progress', progress)::text) FROM changed`,
    [
      id,
      change.status,
      change.progress,
      change.error ? JSON.stringify(change.error) : null,
      final,
      PUBLICATION_EVENT_CHANNEL,
    ],
  );
}

/** Parses a NOTIFY payload; null when it is not a publication notice (another writer on the channel). */
export function parsePublicationNotice(payload: string): PublicationNotice | null {
  try {
    const value = JSON.parse(payload) as Partial<PublicationNotice>;
    if (typeof value.id !== 'string' || typeof value.status !== 'string' || typeof value.progress !== 'number')
      return null;
    return value as PublicationNotice;
  } catch {
    return null;
  }
}

/** True when some publication waits or runs (a restarted server takes them up). */
export async function hasPendingPublications(manager: EntityManager): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM release_publication WHERE status IN ('${PublicationStatus.QUEUED}', '${PublicationStatus.RUNNING}') LIMIT 1`,
  );
  return rows.length > 0;
}
