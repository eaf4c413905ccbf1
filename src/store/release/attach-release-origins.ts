import type { EntityManager } from 'typeorm';
import type { ReleaseManifest } from './release-manifest';
import { releaseProvenanceSchema } from './release-origin';
import type { ReleaseRunOrigin } from './verify-release';

/** Options of {@link attachReleaseOrigins}. */
export interface AttachReleaseOriginsOptions {
  /** The release's manifest (format 2): its origins are kept as `run_origin` rows. */
  manifest: ReleaseManifest;
  /** Its records' run keys and origin ids. */
  rows: readonly ReleaseRunOrigin[];
  /** The import batches that wrote its records (one per space); only their new runs take the release's origins. */
  batchIds: readonly number[];
}

/**
 * Keeps where a release's runs came from, in the import's transaction: its origins as `run_origin` rows (an origin
 * already kept is the same, as its id hashes it) and each run the import added points to its row's origin. Runs the
 * store had before keep their own provenance.
 */
export async function attachReleaseOrigins(
  manager: EntityManager,
  options: AttachReleaseOriginsOptions,
): Promise<void> {
  if (options.batchIds.length === 0) return;
  const { origins } = releaseProvenanceSchema.parse(options.manifest.provenance);
  await manager.query(
    `INSERT INTO run_origin (id, origin) SELECT * FROM unnest($1::text[], $2::jsonb[]) ON CONFLICT (id) DO NOTHING`,
    [
      origins.map((o) => o.id),
      origins.map(({ source, import: imported, protocol, hardware, nashubVersion }) =>
        JSON.stringify({ source, import: imported, protocol, hardware, nashubVersion }),
      ),
    ],
  );
  const column = <K extends keyof ReleaseRunOrigin>(key: K) => options.rows.map((row) => row[key]);
  await manager.query(
    `UPDATE run r SET origin_id = f.origin
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
              AS f(space, arch_id, dataset, protocol, seed, origin)
       JOIN architecture a ON a.space = f.space AND a.hash = f.arch_id
       JOIN dataset d ON d.name = f.dataset
       JOIN protocol p ON p.name = f.protocol
      WHERE r.architecture_id = a.id AND r.dataset_id = d.id AND r.protocol_id = p.id
        AND r.seed IS NOT DISTINCT FROM f.seed AND r.import_batch_id = ANY($7::int[])`,
    [
      column('space'),
      column('arch_id'),
      column('dataset'),
      column('protocol'),
      column('seed'),
      column('origin'),
      options.batchIds,
    ],
  );
}
