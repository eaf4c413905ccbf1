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

/** Sets a publication's status and progress; a final status stamps `finished_at`. */
export async function updatePublication(
  manager: EntityManager,
  id: string,
  change: { status: PublicationStatusValue; progress: number; error?: { code: string; message: string } | null },
): Promise<void> {
  const final = change.status === PublicationStatus.PUBLISHED || change.status === PublicationStatus.FAILED;
  await manager.query(
    `UPDATE release_publication SET status = $2, progress = $3, error = $4::jsonb,
            finished_at = CASE WHEN $5::boolean THEN now() ELSE NULL END
      WHERE id = $1`,
    [id, change.status, change.progress, change.error ? JSON.stringify(change.error) : null, final],
  );
}

/** True when some publication waits or runs (a restarted server takes them up). */
export async function hasPendingPublications(manager: EntityManager): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM release_publication WHERE status IN ('${PublicationStatus.QUEUED}', '${PublicationStatus.RUNNING}') LIMIT 1`,
  );
  return rows.length > 0;
}
