import type { EntityManager } from 'typeorm';
import { PublicationStatus, findRelease, type PublicationRow } from '../../store/release';
import type { ReleasePublicationType } from './release-publication.type';
import { toReleaseType } from './to-release-type';

/** A publication row as GraphQL shows it, with its release once PUBLISHED (files' urls under `releasesDir`). */
export async function toPublicationType(
  manager: EntityManager,
  row: PublicationRow,
  releasesDir: string | undefined,
): Promise<ReleasePublicationType> {
  const release = row.status === PublicationStatus.PUBLISHED ? await findRelease(manager, row.name, row.version) : null;
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    status: row.status,
    progress: row.progress,
    errorCode: row.error?.code ?? null,
    error: row.error?.message ?? null,
    release: release ? await toReleaseType(release, releasesDir) : null,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}
