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
    // The final epoch reads the run's own columns: no per-run object (this runs for every key of a batch).
    const valueOf = (run: RunRow, metric: MetricName): number | null | undefined =>
      final ? run[METRIC_COLUMNS[metric]] : points.get(`${run.id}:${request.epoch}`)?.[metric];
    let seeded: RunRow[] = [];
    let published: RunRow | undefined;
    for (const run of runs) {
      if (run.seed === null) published = run;
      else seeded.push(run);
    }
    if (seeded.length > 1) seeded = seeded.sort((a, b) => a.seed! - b.seed!);
    if (request.choice.mode !== 'MEAN') {
      const chosen = choose(seeded, request);
      if (!chosen) return null;
      return single(chosen, (metric) => valueOf(chosen, metric), request.epoch, final);
    }
    return mean(seeded, published, valueOf, request.epoch, final);
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
  valueOf: (metric: MetricName) => number | null | undefined,
  epoch: number,
  final: boolean,
): RecordResult | null {
  const out: Partial<Record<MetricName, RecordValue>> = {};
  for (const metric of METRICS) {
    const value = valueOf(metric);
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
  valueOf: (run: RunRow, metric: MetricName) => number | null | undefined,
  epoch: number,
  final: boolean,
): RecordResult | null {
  const out: Partial<Record<MetricName, RecordValue>> = {};
  const used = new Array<boolean>(seeded.length).fill(false);
  let isPublishedMean = false;
  let any = false;
  for (const metric of METRICS) {
    // Summed in seed order, then divided: the table query's avg(... ORDER BY seed) gives the same double.
    let sum = 0;
    let n = 0;
    for (let i = 0; i < seeded.length; i++) {
      const value = valueOf(seeded[i], metric);
      if (value === null || value === undefined) continue;
      sum += value;
      n += 1;
      used[i] = true;
    }
    if (n > 0) {
      const m = sum / n;
      let variance = 0;
      for (const run of seeded) {
        const value = valueOf(run, metric);
        if (value !== null && value !== undefined) variance += (value - m) ** 2;
      }

      out[metric] = { mean: m, std: Math.sqrt(variance / n), n };
      any = true;
      continue;
    }
    const value = published ? valueOf(published, metric) : null;
    if (value !== null && value !== undefined) {
      out[metric] = { mean: value, std: null, n: published!.seed_count };
      isPublishedMean = true;
      any = true;
    }
  }
  if (!any) return null;
  let secondsSum = 0;
  let secondsN = 0;
  for (const run of seeded) {
    if (run.train_seconds === null) continue;
    secondsSum += run.train_seconds;
    secondsN += 1;
  }
  const trainSeconds = !final ? null : secondsN > 0 ? secondsSum / secondsN : (published?.train_seconds ?? null);
  const seeds = seeded.filter((_, i) => used[i]).map((run) => run.seed!);
  return { epoch, seeds, isPublishedMean, values: out, trainSeconds };
}
