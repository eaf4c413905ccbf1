import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { QueueName, type JobQueue } from '../queue';
import { rowsOf } from '../rows-of';
import { toTrainingJobRows, trainingJobSelect, type TrainingJobRow } from './training-job-row';

/** A canonical architecture to train (as core's space gives it). */
export interface TrainingArchitecture {
  /** `space.id(arch)`. */
  hash: string;
  /** `space.format(arch)`. */
  arch: string;
  isoClass: string;
  paramsM: number | null;
  flopsM: number | null;
}

/** Options of {@link requestTraining}. */
export interface RequestTrainingOptions {
  /** Search space name. */
  space: string;
  /** Architectures, canonical; duplicates are answered once per occurrence. */
  architectures: readonly TrainingArchitecture[];
  datasetId: number;
  protocolId: number;
  /** The protocol's epochs: the job's total. */
  totalEpochs: number;
  /** One job per (architecture, seed). */
  seeds: readonly number[];
  /** pg-boss priority: higher first (default 0). */
  priority: number;
  /** API key name of the caller, for the record. */
  requestedBy: string | null;
}

/** The answer for one (architecture, seed) of a request, in request order (architecture-major). */
export interface TrainingRequestEntry {
  architectureId: number;
  hash: string;
  arch: string;
  seed: number;
  /** The new or pending job; null when a finished run already exists. */
  job: TrainingJobRow | null;
  /** The finished run (COMPLETE or STOPPED_EARLY, imported or trained) that answers the request without a job. */
  runId: number | null;
  /** True when this request created the job. */
  isNew: boolean;
}

/**
 * Queues training for every (architecture, seed), in one transaction: architecture rows are added when missing; an
 * existing finished run (COMPLETE or STOPPED_EARLY) answers without a job; a QUEUED or RUNNING job is returned as is;
 * otherwise a `training_job` row and its pg-boss job (same id) are inserted together. Concurrent identical requests
 * create each job once: the partial unique index admits one pending job per key, a losing insert does nothing and the
 * winner's row is read back (READ COMMITTED sees it once the winner commits). Keys are inserted in sorted order, so
 * two overlapping requests cannot deadlock on each other's keys.
 */
export async function requestTraining(
  dataSource: DataSource,
  queue: JobQueue,
  options: RequestTrainingOptions,
): Promise<TrainingRequestEntry[]> {
  return dataSource.transaction(async (manager) => {
    const archIds = await upsertArchitectures(manager, options.space, options.architectures);
    const ids = [...new Set(archIds.values())];
    const seeds = [...new Set(options.seeds)];
    const key = (architectureId: number, seed: number) => `${architectureId}:${seed}`;

    const finished = new Map<string, number>();
    const runs: Array<{ id: number; architecture_id: number; seed: number }> = await manager.query(
      `SELECT id, architecture_id, seed FROM run
        WHERE dataset_id = $1 AND protocol_id = $2 AND architecture_id = ANY($3::int[]) AND seed = ANY($4::int[])
          AND status IN ('COMPLETE', 'STOPPED_EARLY')`,
      [options.datasetId, options.protocolId, ids, seeds],
    );
    for (const run of runs) finished.set(key(run.architecture_id, run.seed), run.id);

    const wanted = ids
      .flatMap((architectureId) => seeds.map((seed) => ({ architectureId, seed })))
      .filter((k) => !finished.has(key(k.architectureId, k.seed)));
    wanted.sort((a, b) => a.architectureId - b.architectureId || a.seed - b.seed);
    const fresh = wanted.map((k) => ({ ...k, id: randomUUID() }));
    const inserted = new Set<string>();
    if (fresh.length > 0) {
      const rows: Array<{ id: string }> = await manager.query(
        `INSERT INTO training_job (id, architecture_id, dataset_id, protocol_id, seed, priority, status, total_epochs, requested_by)
         SELECT k.id, k.architecture_id, $4, $5, k.seed, $6, 'QUEUED', $7, $8
           FROM unnest($1::uuid[], $2::int[], $3::int[]) WITH ORDINALITY AS k(id, architecture_id, seed, n)
          ORDER BY k.n
         ON CONFLICT (architecture_id, dataset_id, protocol_id, seed) WHERE status IN ('QUEUED', 'RUNNING') DO NOTHING
         RETURNING id`,
        [
          fresh.map((k) => k.id),
          fresh.map((k) => k.architectureId),
          fresh.map((k) => k.seed),
          options.datasetId,
          options.protocolId,
          options.priority,
          options.totalEpochs,
          options.requestedBy,
        ],
      );
      for (const row of rows) inserted.add(row.id);
      const jobs = fresh
        .filter((k) => inserted.has(k.id))
        .map((k) => ({ id: k.id, data: { jobId: k.id }, priority: options.priority }));
      await queue.sendMany(QueueName.TRAIN, jobs, manager);
    }

    const pending = new Map<string, TrainingJobRow>();
    if (wanted.length > 0) {
      const rows = rowsOf(
        await manager.query(
          `${trainingJobSelect(manager)}
            WHERE j.dataset_id = $1 AND j.protocol_id = $2 AND j.architecture_id = ANY($3::int[]) AND j.seed = ANY($4::int[])
              AND j.status IN ('QUEUED', 'RUNNING')`,
          [options.datasetId, options.protocolId, ids, seeds],
        ),
      );
      for (const row of toTrainingJobRows(manager, rows)) pending.set(key(row.architectureId, row.seed), row);
    }

    return options.architectures.flatMap((architecture) => {
      const architectureId = archIds.get(architecture.hash)!;
      return seeds.map((seed): TrainingRequestEntry => {
        const runId = finished.get(key(architectureId, seed)) ?? null;
        const job = runId === null ? (pending.get(key(architectureId, seed)) ?? null) : null;
        if (runId === null && job === null)
          throw new Error(`job for architecture ${architectureId} seed ${seed} vanished inside its transaction`);
        return {
          architectureId,
          hash: architecture.hash,
          arch: architecture.arch,
          seed,
          job,
          runId,
          isNew: job !== null && inserted.has(job.id),
        };
      });
    });
  });
}

/** Adds missing architecture rows and returns every id by hash. */
async function upsertArchitectures(
  manager: EntityManager,
  space: string,
  architectures: readonly TrainingArchitecture[],
): Promise<Map<string, number>> {
  const unique = [...new Map(architectures.map((a) => [a.hash, a])).values()].sort((a, b) =>
    a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0,
  );
  await manager.query(
    `INSERT INTO architecture (space, hash, arch, iso_class, params_m, flops_m)
     SELECT $1, k.hash, k.arch, k.iso_class, k.params_m, k.flops_m
       FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[]) WITH ORDINALITY AS k(hash, arch, iso_class, params_m, flops_m, n)
      ORDER BY k.n
     ON CONFLICT (space, hash) DO NOTHING`,
    [
      space,
      unique.map((a) => a.hash),
      unique.map((a) => a.arch),
      unique.map((a) => a.isoClass),
      unique.map((a) => a.paramsM),
      unique.map((a) => a.flopsM),
    ],
  );
  const rows: Array<{ id: number; hash: string }> = await manager.query(
    'SELECT id, hash FROM architecture WHERE space = $1 AND hash = ANY($2::text[])',
    [space, unique.map((a) => a.hash)],
  );
  return new Map(rows.map((r) => [r.hash, r.id]));
}
