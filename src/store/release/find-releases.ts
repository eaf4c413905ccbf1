import type { EntityManager } from 'typeorm';
import type { ReleaseManifest } from './release-manifest';

/** A recorded release: its name, version, stored manifest and when it was first recorded. */
export interface StoredRelease {
  name: string;
  version: string;
  manifest: ReleaseManifest;
  createdAt: Date;
}

/** Every recorded release, by name then version (text compared bytewise, so the order never depends on a locale). */
export async function listReleases(manager: EntityManager): Promise<StoredRelease[]> {
  const rows: Array<{ name: string; version: string; manifest: ReleaseManifest; created_at: Date }> =
    await manager.query(
      'SELECT name, version, manifest, created_at FROM release ORDER BY name COLLATE "C", version COLLATE "C"',
    );
  return rows.map((row) => ({
    name: row.name,
    version: row.version,
    manifest: row.manifest,
    createdAt: row.created_at,
  }));
}

/** The recorded release of this name and version, or null. */
export async function findRelease(
  manager: EntityManager,
  name: string,
  version: string,
): Promise<StoredRelease | null> {
  const [row]: Array<{ manifest: ReleaseManifest; created_at: Date }> = await manager.query(
    'SELECT manifest, created_at FROM release WHERE name = $1 AND version = $2',
    [name, version],
  );
  return row ? { name, version, manifest: row.manifest, createdAt: row.created_at } : null;
}

/** The latest recorded version of a release other than `version` (its predecessor), or null. */
export async function findPredecessor(
  manager: EntityManager,
  name: string,
  version: string,
): Promise<StoredRelease | null> {
  const [row]: Array<{ version: string; manifest: ReleaseManifest; created_at: Date }> = await manager.query(
    `SELECT version, manifest, created_at FROM release WHERE name = $1 AND version <> $2
      ORDER BY created_at DESC, id DESC LIMIT 1`,
    [name, version],
  );
  return row ? { name, version: row.version, manifest: row.manifest, createdAt: row.created_at } : null;
}
