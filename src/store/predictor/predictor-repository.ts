import { In, type EntityManager } from 'typeorm';
import { ErrorCode, NashubError } from '../../core';
import { PredictorEntity, type PredictorMetrics, type PredictorRow } from '../entity/predictor.entity';
import { entityColumns } from '../entity-columns';
import { hydrate } from '../hydrate';
import { rowsOf } from '../rows-of';

/** What a new predictor version is fitted for. */
export interface NewPredictor {
  space: string;
  datasetId: number;
  protocolId: number;
  metric: string;
  epoch: number | null;
  kind: string;
  hyperparameters: Record<string, unknown>;
  seed: number;
  nashubVersion: string;
  jobId?: string | null;
}

/** Inserts a TRAINING predictor row; returns it. */
export async function insertPredictor(manager: EntityManager, p: NewPredictor): Promise<PredictorRow> {
  const rows: Record<string, unknown>[] = await manager.query(
    `INSERT INTO predictor (space, dataset_id, protocol_id, metric, epoch, kind, hyperparameters, seed, status, nashub_version, job_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, 'TRAINING', $9, $10)
     RETURNING ${entityColumns(manager, PredictorEntity)}`,
    [
      p.space,
      p.datasetId,
      p.protocolId,
      p.metric,
      p.epoch,
      p.kind,
      JSON.stringify(p.hyperparameters),
      p.seed,
      p.nashubVersion,
      p.jobId ?? null,
    ],
  );
  return hydrate(manager, PredictorEntity, rows)[0];
}

/** Progress of a TRAINING predictor (0..1). */
export async function setPredictorProgress(manager: EntityManager, id: number, progress: number): Promise<void> {
  await manager.query(`UPDATE predictor SET progress = $2 WHERE id = $1 AND status = 'TRAINING'`, [
    id,
    Math.min(1, Math.max(0, progress)),
  ]);
}

/** What a finished fit stores. */
export interface FittedPredictor {
  weights: Uint8Array;
  metrics: PredictorMetrics;
  trainSize: number;
  trainSetSha256: string;
  skippedTargets: number;
}

/** TRAINING → READY with weights and held-out metrics. */
export async function finishPredictor(manager: EntityManager, id: number, fitted: FittedPredictor): Promise<void> {
  const result = await manager.query(
    `UPDATE predictor SET status = 'READY', weights = $2, metrics = $3::jsonb, train_size = $4, train_set_sha256 = $5,
            skipped_targets = $6, progress = 1, error = NULL, finished_at = now()
      WHERE id = $1 AND status = 'TRAINING' RETURNING id`,
    [
      id,
      Buffer.from(fitted.weights.buffer, fitted.weights.byteOffset, fitted.weights.byteLength),
      JSON.stringify(fitted.metrics),
      fitted.trainSize,
      fitted.trainSetSha256,
      fitted.skippedTargets,
    ],
  );
  if (rowsOf(result).length === 0)
    throw new NashubError(ErrorCode.CONFLICT, `predictor ${id} is not TRAINING`, { details: { predictor: id } });
}

/** TRAINING → FAILED with the reason; a version another attempt already finished is left as it is. */
export async function failPredictor(manager: EntityManager, id: number, reason: string): Promise<void> {
  await manager.query(
    `UPDATE predictor SET status = 'FAILED', error = $2, finished_at = now() WHERE id = $1 AND status = 'TRAINING'`,
    [id, reason.slice(0, 2000)],
  );
}

/** READY or STALE → FAILED: the stored weights of a finished version do not load. */
export async function markPredictorUnloadable(manager: EntityManager, id: number, reason: string): Promise<void> {
  await manager.query(
    `UPDATE predictor SET status = 'FAILED', error = $2 WHERE id = $1 AND status IN ('READY', 'STALE')`,
    [id, reason.slice(0, 2000)],
  );
}

/**
 * Marks READY predictors of (space, dataset, protocol) STALE: new runs arrived for what they were fitted on. They
 * keep serving; the API says they are stale. Returns how many turned stale.
 */
export async function markPredictorsStale(
  manager: EntityManager,
  target: { space: string; datasetId: number; protocolId: number },
): Promise<number> {
  const result = await manager.query(
    `UPDATE predictor SET status = 'STALE' WHERE status = 'READY' AND space = $1 AND dataset_id = $2 AND protocol_id = $3 RETURNING id`,
    [target.space, target.datasetId, target.protocolId],
  );
  return rowsOf(result).length;
}

/** Marks STALE the predictors of every (dataset, protocol) staged by the import in progress (its `import_stage`). */
export async function markPredictorsStaleForImport(manager: EntityManager, space: string): Promise<number> {
  const result = await manager.query(
    `UPDATE predictor p SET status = 'STALE'
      WHERE p.status = 'READY' AND p.space = $1
        AND EXISTS (SELECT 1 FROM import_stage s WHERE s.dataset_id = p.dataset_id AND s.protocol_id = p.protocol_id)
      RETURNING p.id`,
    [space],
  );
  return rowsOf(result).length;
}

/** A predictor row by id; null when there is none. */
export function findPredictor(manager: EntityManager, id: number): Promise<PredictorRow | null> {
  return manager.findOneBy(PredictorEntity, { id });
}

/** Predictor rows by id, in one statement. */
export async function findPredictors(
  manager: EntityManager,
  ids: readonly number[],
): Promise<Map<number, PredictorRow>> {
  if (ids.length === 0) return new Map();
  const rows = await manager.findBy(PredictorEntity, { id: In([...new Set(ids)]) });
  return new Map(rows.map((row) => [row.id, row]));
}

/** A predictor's weights; FAILED-safe: null when it has none. */
export async function loadPredictorWeights(manager: EntityManager, id: number): Promise<Uint8Array | null> {
  const [row] = await manager.query(`SELECT weights FROM predictor WHERE id = $1`, [id]);
  if (!row?.weights) return null;
  const bytes = row.weights as Uint8Array;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Predictors of a space (optionally one dataset), newest first. */
export async function listPredictors(
  manager: EntityManager,
  filter: { space: string; datasetId?: number },
): Promise<PredictorRow[]> {
  return manager.find(PredictorEntity, {
    // TypeORM refuses an undefined where value instead of ignoring it.
    where:
      filter.datasetId === undefined ? { space: filter.space } : { space: filter.space, datasetId: filter.datasetId },
    order: { createdAt: 'DESC', id: 'DESC' },
  });
}

/** What a prediction is asked for. */
export interface PredictorTarget {
  space: string;
  datasetId: number;
  protocolId: number;
  metric: string;
  /** null or the protocol's last epoch: final-value predictors. */
  epoch: number | null;
  kind?: string | null;
}

/**
 * The predictor that serves a target: among READY and STALE versions (READY first), the newest of each kind, then the
 * kind with the best held-out Kendall tau; `kind` narrows to one kind (learning-curve extrapolators, kind LCE, serve
 * only when asked for by kind). null when none is fitted.
 */
export async function choosePredictor(manager: EntityManager, target: PredictorTarget): Promise<PredictorRow | null> {
  const rows: Record<string, unknown>[] = await manager.query(
    `WITH newest AS (
       SELECT DISTINCT ON (kind) ${entityColumns(manager, PredictorEntity)}
         FROM predictor
        WHERE space = $1 AND dataset_id = $2 AND protocol_id = $3 AND metric = $4 AND epoch IS NOT DISTINCT FROM $5
          AND status IN ('READY', 'STALE') AND (kind = $6 OR ($6::text IS NULL AND kind <> 'LCE'))
        ORDER BY kind, (status = 'READY') DESC, created_at DESC, id DESC)
     SELECT * FROM newest ORDER BY (status = 'READY') DESC, coalesce((metrics->>'kendallTau')::float8, -2) DESC, created_at DESC LIMIT 1`,
    [target.space, target.datasetId, target.protocolId, target.metric, target.epoch, target.kind ?? null],
  );
  return rows.length > 0 ? hydrate(manager, PredictorEntity, rows)[0] : null;
}
