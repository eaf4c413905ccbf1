import type { EntityManager } from 'typeorm';

/** One cached prediction. */
export interface CachedPrediction {
  hash: string;
  arch: string;
  mean: number;
  std: number;
}

/** Writes a predictor version's predictions (set-based, idempotent per hash). */
export async function writePredictions(manager: EntityManager, predictorId: number, rows: readonly CachedPrediction[]): Promise<void> {
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
export async function loadPredictions(manager: EntityManager, predictorId: number, hashes: readonly string[]): Promise<Map<string, CachedPrediction>> {
  const out = new Map<string, CachedPrediction>();
  if (hashes.length === 0) return out;
  const rows: CachedPrediction[] = await manager.query(
    `SELECT hash, arch, mean, std FROM prediction WHERE predictor_id = $1 AND hash = ANY($2::text[])`,
    [predictorId, [...hashes]],
  );
  for (const r of rows) out.set(r.hash, r);
  return out;
}

/** How many predictions a predictor has cached. */
export async function countPredictions(manager: EntityManager, predictorId: number): Promise<number> {
  const [row] = await manager.query(`SELECT count(*)::int AS n FROM prediction WHERE predictor_id = $1`, [predictorId]);
  return row.n as number;
}

/** The k best cached predictions (high first, or low first for losses). */
export async function topPredictions(manager: EntityManager, predictorId: number, k: number, lowerIsBetter: boolean): Promise<CachedPrediction[]> {
  return manager.query(
    `SELECT hash, arch, mean, std FROM prediction WHERE predictor_id = $1 ORDER BY mean ${lowerIsBetter ? 'ASC' : 'DESC'}, hash LIMIT $2`,
    [predictorId, k],
  );
}
