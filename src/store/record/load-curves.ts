import type { EntityManager } from 'typeorm';

/** One curve to look up: a seed's run, or (seed null) the published seed-mean curve. */
export interface CurveRequest {
  architectureId: number;
  datasetId: number;
  protocolId: number;
  seed: number | null;
}

/** Parallel per-epoch arrays of one run (epochs 1..n; null where an epoch lacks a metric). */
export interface CurveResult {
  seed: number | null;
  epochs: number[];
  trainAcc: Array<number | null>;
  validAcc: Array<number | null>;
  testAcc: Array<number | null>;
  trainLoss: Array<number | null>;
  validLoss: Array<number | null>;
  testLoss: Array<number | null>;
  epochSeconds: Array<number | null>;
}

const COLUMNS = [
  'train_acc',
  'valid_acc',
  'test_acc',
  'train_loss',
  'valid_loss',
  'test_loss',
  'epoch_seconds',
] as const;

/**
 * Curves for many requests in one statement. A request without a seed gets the published seed-mean curve, or, when
 * none is stored, the run of the lowest seed that has a curve. No curve stored: null.
 */
export async function loadCurves(
  manager: EntityManager,
  requests: readonly CurveRequest[],
): Promise<Array<CurveResult | null>> {
  if (requests.length === 0) return [];
  const rows: Array<
    { architecture_id: number; dataset_id: number; protocol_id: number; seed: number | null } & Record<
      (typeof COLUMNS)[number],
      Array<number | null> | null
    >
  > = await manager.query(
    `SELECT r.architecture_id, r.dataset_id, r.protocol_id, r.seed, ${COLUMNS.map((c) => `c.${c}`).join(', ')}
         FROM run r
         JOIN (SELECT DISTINCT * FROM unnest($1::int[], $2::int[], $3::int[]) AS k(a, d, p)) k
           ON r.architecture_id = k.a AND r.dataset_id = k.d AND r.protocol_id = k.p
         JOIN run_curve c ON c.run_id = r.id`,
    [requests.map((r) => r.architectureId), requests.map((r) => r.datasetId), requests.map((r) => r.protocolId)],
  );
  const byTriple = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = `${row.architecture_id}:${row.dataset_id}:${row.protocol_id}`;
    byTriple.set(key, [...(byTriple.get(key) ?? []), row]);
  }
  return requests.map((request) => {
    const runs = byTriple.get(`${request.architectureId}:${request.datasetId}:${request.protocolId}`) ?? [];
    const pick =
      request.seed !== null
        ? runs.find((r) => r.seed === request.seed)
        : (runs.find((r) => r.seed === null) ?? [...runs].sort((a, b) => a.seed! - b.seed!)[0]);
    if (!pick) return null;
    const length = Math.max(...COLUMNS.map((c) => pick[c]?.length ?? 0));
    const pad = (values: Array<number | null> | null) => Array.from({ length }, (_, i) => values?.[i] ?? null);
    return {
      seed: pick.seed,
      epochs: Array.from({ length }, (_, i) => i + 1),
      trainAcc: pad(pick.train_acc),
      validAcc: pad(pick.valid_acc),
      testAcc: pad(pick.test_acc),
      trainLoss: pad(pick.train_loss),
      validLoss: pad(pick.valid_loss),
      testLoss: pad(pick.test_loss),
      epochSeconds: pad(pick.epoch_seconds),
    };
  });
}
