import type { EntityManager } from 'typeorm';
import type { CurveResult } from '../record/load-curves';

const COLUMNS = [
  'train_acc',
  'valid_acc',
  'test_acc',
  'train_loss',
  'valid_loss',
  'test_loss',
  'epoch_seconds',
] as const;

/** The curve of runs so far (whatever their status), by run id; runs without a curve row are absent. */
export async function loadRunCurves(
  manager: EntityManager,
  runIds: readonly number[],
): Promise<Map<number, CurveResult>> {
  const out = new Map<number, CurveResult>();
  if (runIds.length === 0) return out;
  const rows: Array<
    { run_id: number; seed: number | null } & Record<(typeof COLUMNS)[number], Array<number | null> | null>
  > = await manager.query(
    `SELECT c.run_id, r.seed, ${COLUMNS.map((c) => `c.${c}`).join(', ')} FROM run_curve c JOIN run r ON r.id = c.run_id WHERE c.run_id = ANY($1::int[])`,
    [[...new Set(runIds)]],
  );
  for (const row of rows) {
    const length = Math.max(0, ...COLUMNS.map((c) => row[c]?.length ?? 0));
    const pad = (values: Array<number | null> | null) => Array.from({ length }, (_, i) => values?.[i] ?? null);
    out.set(row.run_id, {
      seed: row.seed,
      epochs: Array.from({ length }, (_, i) => i + 1),
      trainAcc: pad(row.train_acc),
      validAcc: pad(row.valid_acc),
      testAcc: pad(row.test_acc),
      trainLoss: pad(row.train_loss),
      validLoss: pad(row.valid_loss),
      testLoss: pad(row.test_loss),
      epochSeconds: pad(row.epoch_seconds),
    });
  }
  return out;
}
