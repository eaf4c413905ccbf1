import type { DataSource, EntityManager } from 'typeorm';
import { ErrorCode, NashubError } from '../../core';
import type { ReleaseManifest } from './release-manifest';
import { rollbackAfter } from '../rollback-after';

/** Options of {@link recordRelease}. */
export interface RecordReleaseOptions {
  dataSource: DataSource;
  manifest: ReleaseManifest;
  /** Puts the release folder in place with this manifest (the stored one when the release already exists). */
  place(manifest: ReleaseManifest): void;
  /** Undoes `place` when the commit fails after it. */
  unplace(): void;
}

/** Whether the release is new. */
export type RecordReleaseStatus = 'PUBLISHED' | 'ALREADY_PUBLISHED';

/**
 * Inserts the `release` row and places the folder before committing, so a failure leaves neither. An existing
 * release of the same name and version is fine with the same content (its stored manifest is placed again) and a
 * CONFLICT with any other: releases are immutable.
 */
export async function recordRelease(
  options: RecordReleaseOptions,
): Promise<{ status: RecordReleaseStatus; manifest: ReleaseManifest }> {
  const { manifest } = options;
  const runner = options.dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    const inserted: unknown[] = await runner.query(
      `WITH inserted AS (
         INSERT INTO release (name, version, manifest, content_sha256) VALUES ($1, $2, $3::jsonb, $4)
         ON CONFLICT (name, version) DO NOTHING RETURNING id)
       SELECT id FROM inserted`,
      [manifest.name, manifest.version, JSON.stringify(manifest), manifest.contentSha256],
    );
    if (inserted.length === 0) {
      const [stored]: Array<{ manifest: ReleaseManifest; content_sha256: string }> = await runner.query(
        'SELECT manifest, content_sha256 FROM release WHERE name = $1 AND version = $2',
        [manifest.name, manifest.version],
      );
      await runner.commitTransaction();
      if (stored.content_sha256 !== manifest.contentSha256) throw releaseConflict(manifest, stored.content_sha256);
      options.place(stored.manifest);
      return { status: 'ALREADY_PUBLISHED', manifest: stored.manifest };
    }
    options.place(manifest);
    try {
      await runner.commitTransaction();
    } catch (error) {
      options.unplace();
      throw error;
    }
    return { status: 'PUBLISHED', manifest };
  } catch (error) {
    throw await rollbackAfter(runner, error);
  } finally {
    await runner.release();
  }
}

/**
 * Inserts the `release` row of a manifest inside the caller's transaction: true when new, false when the same name,
 * version and content are already recorded; other content under that name and version is CONFLICT.
 */
export async function insertReleaseRow(manager: EntityManager, manifest: ReleaseManifest): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO release (name, version, manifest, content_sha256) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (name, version) DO NOTHING RETURNING id`,
    [manifest.name, manifest.version, JSON.stringify(manifest), manifest.contentSha256],
  );
  if (inserted.length > 0) return true;
  const [stored]: Array<{ content_sha256: string }> = await manager.query(
    'SELECT content_sha256 FROM release WHERE name = $1 AND version = $2',
    [manifest.name, manifest.version],
  );
  if (stored.content_sha256 !== manifest.contentSha256) throw releaseConflict(manifest, stored.content_sha256);
  return false;
}

/** CONFLICT: this name and version are recorded with other content (releases are immutable). */
export function releaseConflict(manifest: ReleaseManifest, stored: string): NashubError {
  return new NashubError(
    ErrorCode.CONFLICT,
    `release ${manifest.name} ${manifest.version} exists with other content (content sha256 ${stored}, now ${manifest.contentSha256}); releases are immutable, publish a new version`,
    { details: { name: manifest.name, version: manifest.version, stored, now: manifest.contentSha256 } },
  );
}
