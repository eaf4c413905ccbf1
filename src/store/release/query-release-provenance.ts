import type { EntityManager } from 'typeorm';
import {
  releaseOriginId,
  type ReleaseOrigin,
  type ReleaseOriginDescription,
  type ReleaseProvenance,
} from './release-origin';

/** The provenance of a release's runs: each run's origin id (its records `origin` cell) and the origins. */
export interface RunProvenance {
  /** The origin id of each run, in the order of the run ids asked for. */
  originIds: string[];
  provenance: ReleaseProvenance;
}

/**
 * Where these runs (a release's) came from, read in the caller's snapshot. A run imported from a release keeps that
 * release's origin (`run.origin_id`); any other run's origin is its import (file, sha256, mapping) or, for a TRAINED
 * run, its protocol, hardware and trainer's nashub version.
 */
export async function queryReleaseProvenance(
  manager: EntityManager,
  runIds: readonly number[],
): Promise<RunProvenance> {
  const rows: Array<{
    origin_id: string | null;
    source: 'IMPORTED' | 'TRAINED';
    import_batch_id: number | null;
    seed_mean: boolean;
    protocol: string | null;
    hardware: string | null;
    nashub_version: string | null;
  }> = await manager.query(
    `SELECT r.origin_id, r.source, r.import_batch_id, r.seed IS NULL AS seed_mean,
            CASE WHEN r.source = 'TRAINED' THEN p.name END AS protocol,
            CASE WHEN r.source = 'TRAINED' THEN r.hardware END AS hardware,
            CASE WHEN r.source = 'TRAINED' THEN r.nashub_version END AS nashub_version
       FROM unnest($1::int[]) WITH ORDINALITY AS u(run_id, i)
       JOIN run r ON r.id = u.run_id
       JOIN protocol p ON p.id = r.protocol_id
      ORDER BY u.i`,
    [runIds],
  );
  const descriptions = new Map<string, ReleaseOriginDescription>();
  const carried: Array<{ id: string; origin: ReleaseOriginDescription }> = await manager.query(
    'SELECT id, origin FROM run_origin WHERE id = ANY($1::text[])',
    [[...new Set(rows.flatMap((row) => row.origin_id ?? []))]],
  );
  for (const { id, origin } of carried) descriptions.set(id, origin);
  const batches = new Map<number, ReleaseOriginDescription['import']>();
  const batchRows: Array<{ id: number; file_name: string; sha256: string; mapping: unknown }> = await manager.query(
    'SELECT id, file_name, sha256, mapping FROM import_batch WHERE id = ANY($1::int[])',
    [[...new Set(rows.flatMap((row) => row.import_batch_id ?? []))]],
  );
  for (const b of batchRows) batches.set(b.id, { file: b.file_name, sha256: b.sha256, mapping: b.mapping });

  const byKey = new Map<string, string>();
  const origins = new Map<string, ReleaseOrigin>();
  const originIds = rows.map((row) => {
    let id = row.origin_id;
    if (id === null) {
      const key = JSON.stringify([row.source, row.import_batch_id, row.protocol, row.hardware, row.nashub_version]);
      id = byKey.get(key) ?? null;
      if (id === null) {
        const description: ReleaseOriginDescription = {
          source: row.source,
          import: row.import_batch_id === null ? null : batches.get(row.import_batch_id)!,
          protocol: row.protocol,
          hardware: row.hardware,
          nashubVersion: row.nashub_version,
        };
        id = releaseOriginId(description);
        byKey.set(key, id);
        descriptions.set(id, description);
      }
    }
    let origin = origins.get(id);
    if (!origin) {
      const { source, import: imported, protocol, hardware, nashubVersion } = descriptions.get(id)!;
      origin = {
        id,
        source,
        import: imported,
        protocol,
        hardware,
        nashubVersion,
        runs: 0,
        seedMeans: 0,
        singleSeeds: 0,
      };
      origins.set(id, origin);
    }
    origin.runs += 1;
    if (row.seed_mean) origin.seedMeans += 1;
    else origin.singleSeeds += 1;
    return id;
  });
  const sorted = [...origins.values()].sort((a, b) => b.runs - a.runs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const seedMean = sorted.reduce((sum, o) => sum + o.seedMeans, 0);
  return {
    originIds,
    provenance: { origins: sorted, values: { seedMean, singleSeed: rows.length - seedMean, imputed: 0 } },
  };
}
