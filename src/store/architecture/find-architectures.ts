import type { EntityManager } from 'typeorm';

/** A stored architecture's id and canonical key. */
export interface StoredArchitecture {
  id: number;
  hash: string;
  arch: string;
  isoClass: string;
}

/** Stored architectures of a space by hash, in one statement; hashes not stored are absent from the map. */
export async function findArchitecturesByHash(
  manager: EntityManager,
  space: string,
  hashes: readonly string[],
): Promise<Map<string, StoredArchitecture>> {
  if (hashes.length === 0) return new Map();
  const rows: Array<{ id: number; hash: string; arch: string; iso_class: string }> = await manager.query(
    'SELECT id, hash, arch, iso_class FROM architecture WHERE space = $1 AND hash = ANY($2::text[])',
    [space, [...new Set(hashes)]],
  );
  return new Map(rows.map((r) => [r.hash, { id: r.id, hash: r.hash, arch: r.arch, isoClass: r.iso_class }]));
}

/** Architectures by external id (e.g. scheme `nb201-index`), in one statement, keyed by the external id. */
export async function findArchitecturesByExternalId(
  manager: EntityManager,
  scheme: string,
  ids: readonly string[],
): Promise<Map<string, StoredArchitecture>> {
  if (ids.length === 0) return new Map();
  const rows: Array<{ external_id: string; id: number; hash: string; arch: string; iso_class: string }> =
    await manager.query(
      `SELECT e.external_id, a.id, a.hash, a.arch, a.iso_class FROM architecture_external_id e JOIN architecture a ON a.id = e.architecture_id
      WHERE e.scheme = $1 AND e.external_id = ANY($2::text[])`,
      [scheme, [...new Set(ids)]],
    );
  return new Map(rows.map((r) => [r.external_id, { id: r.id, hash: r.hash, arch: r.arch, isoClass: r.iso_class }]));
}

/** Stored architectures sharing each iso class (the architecture itself included), keyed by iso class. */
export async function findByIsoClass(
  manager: EntityManager,
  space: string,
  isoClasses: readonly string[],
): Promise<Map<string, StoredArchitecture[]>> {
  const out = new Map<string, StoredArchitecture[]>();
  if (isoClasses.length === 0) return out;
  const rows: Array<{ id: number; hash: string; arch: string; iso_class: string }> = await manager.query(
    'SELECT id, hash, arch, iso_class FROM architecture WHERE space = $1 AND iso_class = ANY($2::text[]) ORDER BY hash',
    [space, [...new Set(isoClasses)]],
  );
  for (const r of rows)
    out.set(r.iso_class, [
      ...(out.get(r.iso_class) ?? []),
      { id: r.id, hash: r.hash, arch: r.arch, isoClass: r.iso_class },
    ]);
  return out;
}

/** External ids of architectures, in one statement: architecture id → scheme → id. */
export async function findExternalIds(
  manager: EntityManager,
  architectureIds: readonly number[],
): Promise<Map<number, Record<string, string>>> {
  const out = new Map<number, Record<string, string>>();
  if (architectureIds.length === 0) return out;
  const rows: Array<{ architecture_id: number; scheme: string; external_id: string }> = await manager.query(
    'SELECT architecture_id, scheme, external_id FROM architecture_external_id WHERE architecture_id = ANY($1::int[])',
    [[...new Set(architectureIds)]],
  );
  for (const r of rows)
    out.set(r.architecture_id, { ...(out.get(r.architecture_id) ?? {}), [r.scheme]: r.external_id });
  return out;
}
