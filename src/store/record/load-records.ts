import type { EntityManager } from 'typeorm';
import { METRICS, type MetricName } from '../../core';
import type { RecordResult, RecordValue } from './record';
import { METRIC_COLUMNS } from './run-values';
import type { SeedChoice } from './seed-choice';
import { loadCurvePoints } from './load-curve-points';
import { fnv1a } from './fnv1a';

/** One record to look up. */
export interface RecordRequest {
  architectureId: number;
  datasetId: number;
  protocolId: number;
  /** Epoch to read; the protocol's last epoch reads the runs' final values. */
  epoch: number;
  /** Epochs of the protocol. */
  lastEpoch: number;
  choice: SeedChoice;
}

interface RunRow {
  id: number;
  architecture_id: number;
  dataset_id: number;
  protocol_id: number;
  seed: number | null;
  seed_count: number | null;
  train_seconds: number | null;
  [column: string]: number | null;
}

/**
 * Records for many requests in a fixed number of statements (runs per dataset/protocol pair, then the curve points of
 * non-final epochs), whatever their number: what a DataLoader batch calls. A record with nothing measured is null, never a made-up value.
 */
export async function loadRecords(
  manager: EntityManager,
  requests: readonly RecordRequest[],
): Promise<Array<RecordResult | null>> {
  if (requests.length === 0) return [];
  // One statement per (dataset, protocol) pair in the batch, each an index range scan on run_key; a join against
  // unnested key triples made the planner scan the whole run table.
  const byPair = new Map<string, Set<number>>();
  for (const r of requests) {
    const pair = `${r.datasetId}:${r.protocolId}`;
    const ids = byPair.get(pair);
    if (ids) ids.add(r.architectureId);
    else byPair.set(pair, new Set([r.architectureId]));
  }
  const byTriple = new Map<string, RunRow[]>();
  for (const [pair, ids] of byPair) {
    const [datasetId, protocolId] = pair.split(':').map(Number);
    const rows: RunRow[] = await manager.query(
      `SELECT r.id, r.architecture_id, r.dataset_id, r.protocol_id, r.seed, r.seed_count, r.train_seconds,
              ${METRICS.map((m) => `r.${METRIC_COLUMNS[m]}`).join(', ')}
         FROM run r
        WHERE r.architecture_id = ANY($1::int[]) AND r.dataset_id = $2 AND r.protocol_id = $3 AND r.status = 'COMPLETE'`,
      [[...ids], datasetId, protocolId],
    );
    for (const row of rows) {
      const key = `${row.architecture_id}:${row.dataset_id}:${row.protocol_id}`;
      const list = byTriple.get(key);
      if (list) list.push(row);
      else byTriple.set(key, [row]);
    }
  }
  const pointRequests: Array<{ runId: number; epoch: number }> = [];
  for (const r of requests) {
    if (r.epoch === r.lastEpoch) continue;
    for (const run of byTriple.get(`${r.architectureId}:${r.datasetId}:${r.protocolId}`) ?? [])
      pointRequests.push({ runId: run.id, epoch: r.epoch });
  }
  const points = await loadCurvePoints(manager, pointRequests);

  return requests.map((request) => {
    const runs = byTriple.get(`${request.architectureId}:${request.datasetId}:${request.protocolId}`) ?? [];
    const final = request.epoch === request.lastEpoch;
    const valuesOf = (run: RunRow): Partial<Record<MetricName, number | null>> =>
      final
        ? Object.fromEntries(METRICS.map((m) => [m, run[METRIC_COLUMNS[m]]]))
        : (points.get(`${run.id}:${request.epoch}`) ?? {});
    const seeded = runs.filter((run) => run.seed !== null).sort((a, b) => a.seed! - b.seed!);
    const published = runs.find((run) => run.seed === null);
    const chosen = choose(seeded, request);
    if (request.choice.mode !== 'MEAN') {
      if (!chosen) return null;
      return single(chosen, valuesOf(chosen), request.epoch, final);
    }
    return mean(seeded, published, valuesOf, request.epoch, final);
  });
}

function choose(seeded: RunRow[], request: RecordRequest): RunRow | undefined {
  const { choice } = request;
  if (choice.mode === 'SEED') return seeded.find((run) => run.seed === choice.seed);
  if (choice.mode === 'RANDOM' && seeded.length > 0) {
    const key = `${choice.clientSeed}:${request.architectureId}:${request.datasetId}:${request.protocolId}:${request.epoch}`;
    return seeded[fnv1a(key) % seeded.length];
  }
  return undefined;
}

function single(
  run: RunRow,
  values: Partial<Record<MetricName, number | null>>,
  epoch: number,
  final: boolean,
): RecordResult | null {
  const out: Partial<Record<MetricName, RecordValue>> = {};
  for (const metric of METRICS) {
    const value = values[metric];
    if (value !== null && value !== undefined) out[metric] = { mean: value, std: null, n: 1 };
  }
  if (Object.keys(out).length === 0) return null;
  return {
    epoch,
    seeds: [run.seed!],
    isPublishedMean: false,
    values: out,
    trainSeconds: final ? run.train_seconds : null,
  };
}

function mean(
  seeded: RunRow[],
  published: RunRow | undefined,
  valuesOf: (run: RunRow) => Partial<Record<MetricName, number | null>>,
  epoch: number,
  final: boolean,
): RecordResult | null {
  const out: Partial<Record<MetricName, RecordValue>> = {};
  const used = new Set<number>();
  let isPublishedMean = false;
  const seededValues = seeded.map((run) => ({ run, values: valuesOf(run) }));
  for (const metric of METRICS) {
    const present = seededValues.filter(({ values }) => values[metric] !== null && values[metric] !== undefined);
    if (present.length > 0) {
      const xs = present.map(({ values }) => values[metric]!);
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const variance = xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length;
      out[metric] = { mean: m, std: Math.sqrt(variance), n: xs.length };
      for (const { run } of present) used.add(run.seed!);
      continue;
    }
    const value = published ? valuesOf(published)[metric] : null;
    if (value !== null && value !== undefined) {
      out[metric] = { mean: value, std: null, n: published!.seed_count };
      isPublishedMean = true;
    }
  }
  if (Object.keys(out).length === 0) return null;
  const seconds = seeded.map((run) => run.train_seconds).filter((s): s is number => s !== null);
  const trainSeconds = !final
    ? null
    : seconds.length > 0
      ? seconds.reduce((a, b) => a + b, 0) / seconds.length
      : (published?.train_seconds ?? null);
  return { epoch, seeds: [...used].sort((a, b) => a - b), isPublishedMean, values: out, trainSeconds };
}
