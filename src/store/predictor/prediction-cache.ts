import type { EntityManager } from 'typeorm';

/** One cached prediction. */
export interface CachedPrediction {
  hash: string;
  arch: string;
  mean: number;
  std: number;
}

/** Writes a predictor version's predictions (set-based, idempotent per hash). */
export async function writePredictions(
  manager: EntityManager,
  predictorId: number,
  rows: readonly CachedPrediction[],
): Promise<void> {
  const CHUNK = 20_000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await manager.query(
      `INSERT INTO prediction (predictor_id, hash, arch, mean, std)
       SELECT $1, h, a, m, s FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[]) AS t(h, a, m, s)
       ON CONFLICT (predictor_id, hash) DO UPDATE SET mean = EXCLUDED.mean, std = EXCLUDED.std`,
      [predictorId, part.map((r) => r.hash), part.map((r) => r.arch), part.map((r) => r.mean), part.map((r) => r.std)],
    );
  }
}

/** Cached predictions of some hashes. */
export async function loadPredictions(
  manager: EntityManager,
  predictorId: number,
  hashes: readonly string[],
): Promise<Map<string, CachedPrediction>> {
  const out = new Map<string, CachedPrediction>();
  if (hashes.length === 0) return out;
  const rows: CachedPrediction[] = await manager.query(
    `SELECT hash, arch, mean, std FROM prediction WHERE predictor_id = $1 AND hash = ANY($2::text[])`,
    [predictorId, [...hashes]],
  );
  for (const r of rows) out.set(r.hash, r);
  return out;
}

/** Whether a predictor version has cached predictions (enumerable spaces: the whole space). */
export async function hasPredictions(manager: EntityManager, predictorId: number): Promise<boolean> {
  const [row] = await manager.query(`SELECT EXISTS (SELECT 1 FROM prediction WHERE predictor_id = $1) AS cached`, [
    predictorId,
  ]);
  return row.cached as boolean;
}

/** Options of {@link topPredictions}. */
export interface TopPredictionsOptions {
  predictorId: number;
  k: number;
  /** Losses rank low first. */
  lowerIsBetter: boolean;
  /** Leave out architectures that have a COMPLETE run with this metric column in (space, dataset, protocol). */
  excludeMeasured?: { space: string; datasetId: number; protocolId: number; column: string };
}

/** The k best cached predictions of a predictor version. */
export async function topPredictions(
  manager: EntityManager,
  options: TopPredictionsOptions,
): Promise<CachedPrediction[]> {
  const ex = options.excludeMeasured;
  const exclude = ex
    ? `AND NOT EXISTS (SELECT 1 FROM architecture a JOIN run r ON r.architecture_id = a.id
                        WHERE a.space = $3 AND a.hash = p.hash AND r.dataset_id = $4 AND r.protocol_id = $5
                          AND r.status = 'COMPLETE' AND r.${ex.column} IS NOT NULL)`
    : '';
  return manager.query(
    `SELECT p.hash, p.arch, p.mean, p.std FROM prediction p
      WHERE p.predictor_id = $1 ${exclude}
      ORDER BY p.mean ${options.lowerIsBetter ? 'ASC' : 'DESC'}, p.hash LIMIT $2`,
    ex ? [options.predictorId, options.k, ex.space, ex.datasetId, ex.protocolId] : [options.predictorId, options.k],
  );
}
