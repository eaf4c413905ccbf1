import type { EntityManager } from 'typeorm';

/** Where a group of a release's runs came from: an imported file (with its mapping) or nashub's trainer. */
export interface ReleaseOrigin {
  /** The runs' `source` column: IMPORTED or TRAINED. */
  source: string;
  /** The imported file's name, sha256 and column mapping (null for runs no import wrote). */
  import: { file: string; sha256: string; mapping: unknown } | null;
  /** For TRAINED runs: the protocol and the trainer's `backend/device`; null otherwise. */
  protocol: string | null;
  hardware: string | null;
  /** Runs of the release from this origin. */
  runs: number;
  /** Of them, published seed means (`seed` empty) and single seeds. */
  seedMeans: number;
  singleSeeds: number;
}

/** Where a release's runs came from and what kind of values they hold. */
export interface ReleaseProvenance {
  /** One entry per origin, most runs first. */
  origins: ReleaseOrigin[];
  /**
   * Values by kind: a published mean over seeds (`seed` empty, `seed_count` seeds when known), a single seed, or
   * imputed (nashub stores no imputed values, so always 0; the field says so explicitly).
   */
  values: { seedMean: number; singleSeed: number; imputed: number };
}

/** The provenance of these runs (a release's), read in the caller's snapshot. */
export async function queryReleaseProvenance(
  manager: EntityManager,
  runIds: readonly number[],
): Promise<ReleaseProvenance> {
  const rows: Array<{
    source: string;
    file_name: string | null;
    sha256: string | null;
    mapping: unknown;
    protocol: string | null;
    hardware: string | null;
    runs: number;
    seed_means: number;
  }> = await manager.query(
    `SELECT r.source, b.file_name, b.sha256, b.mapping,
            CASE WHEN r.source = 'TRAINED' THEN p.name END AS protocol,
            CASE WHEN r.source = 'TRAINED' THEN r.hardware END AS hardware,
            count(*)::int AS runs, count(*) FILTER (WHERE r.seed IS NULL)::int AS seed_means
       FROM unnest($1::int[]) AS u(run_id)
       JOIN run r ON r.id = u.run_id
       JOIN protocol p ON p.id = r.protocol_id
       LEFT JOIN import_batch b ON b.id = r.import_batch_id
      GROUP BY r.source, b.id, b.file_name, b.sha256, b.mapping, 5, 6
      ORDER BY runs DESC, b.id NULLS LAST, 5 NULLS FIRST, 6 NULLS FIRST`,
    [runIds],
  );
  const origins = rows.map((row) => ({
    source: row.source,
    import: row.sha256 === null ? null : { file: row.file_name!, sha256: row.sha256, mapping: row.mapping },
    protocol: row.protocol,
    hardware: row.hardware,
    runs: row.runs,
    seedMeans: row.seed_means,
    singleSeeds: row.runs - row.seed_means,
  }));
  const seedMean = origins.reduce((sum, o) => sum + o.seedMeans, 0);
  return { origins, values: { seedMean, singleSeed: runIds.length - seedMean, imputed: 0 } };
}
